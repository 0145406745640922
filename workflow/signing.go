package workflow

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"truce"
	tlog "truce/log"
)

// A signed submission is a C2SP signed note, signed with the member's
// registered Ed25519 key, whose text is
//
//	truce-command v1
//	<the log's origin>
//	<member id>
//	<METHOD> <path>
//	<Idempotency-Key (required)>
//	<the request body, as canonical JSON on one line>
//
// each line ending in a newline. The origin binds the command to one log,
// the member, method and path to one action, and the body to its content.
// The entry the command appends names the key and the note's SHA-256; the
// note itself is kept in the entry's sidecar, because the body may hold
// restricted values. `truce log verify` checks every signed entry against
// its note, and every entry of a member with a key for a signature.

const commandHeader = "truce-command v1"

// SignedCommand is the text of a signed submission.
type SignedCommand struct {
	Origin         string
	Member         truce.MemberID
	Method, Path   string
	IdempotencyKey string // "" for none
	Body           []byte // canonical JSON
}

// Text returns the note text of the command.
func (c *SignedCommand) Text() string {
	key := c.IdempotencyKey
	if key == "" {
		key = "-"
	}
	return fmt.Sprintf("%s\n%s\n%s\n%s %s\n%s\n%s\n", commandHeader, c.Origin, c.Member, c.Method, c.Path, key, c.Body)
}

// ParseSignedCommand parses the text of a signed submission.
func ParseSignedCommand(text string) (*SignedCommand, error) {
	lines := strings.Split(text, "\n")
	if len(lines) != 7 || lines[6] != "" || lines[0] != commandHeader {
		return nil, errors.New("not a truce-command v1 note: want six lines, the first \"truce-command v1\"")
	}
	c := &SignedCommand{Origin: lines[1], Member: truce.MemberID(lines[2]), IdempotencyKey: lines[4], Body: []byte(lines[5])}
	switch c.IdempotencyKey {
	case "-":
		c.IdempotencyKey = ""
	case "":
		// Text writes "-" for none: one command has one signed text.
		return nil, errors.New("line 5 is empty: write the idempotency key, or \"-\" for none")
	}
	var ok bool
	if c.Method, c.Path, ok = strings.Cut(lines[3], " "); !ok || c.Method == "" || !strings.HasPrefix(c.Path, "/") {
		return nil, fmt.Errorf("line 4 %q is not a method and a path", lines[3])
	}
	canon, err := tlog.Canonicalize(c.Body)
	if err != nil || !bytes.Equal(canon, c.Body) || len(c.Body) == 0 || c.Body[0] != '{' {
		return nil, errors.New("the body is not a JSON object in canonical form")
	}
	return c, nil
}

// SignCommand signs a command with the member's key.
func SignCommand(c *SignedCommand, signer note.Signer) ([]byte, error) {
	return note.Sign(&note.Note{Text: c.Text()}, signer)
}

// noteHash is the hex SHA-256 of a signed note, as entries name it.
func noteHash(msg string) string {
	h := sha256.Sum256([]byte(msg))
	return hex.EncodeToString(h[:])
}

// KeyHash returns the hash part of a note verifier key ("name+hash+key"),
// which signed entries name. It fails when vkey is not a verifier key.
func KeyHash(vkey string) (string, error) {
	if _, err := note.NewVerifier(vkey); err != nil {
		return "", truce.Invalidf("key", "is not a note verifier key (name+hash+key): %v", err)
	}
	// A key name has no '+'; the base64 key after the hash may.
	parts := strings.SplitN(vkey, "+", 3)
	return parts[1], nil
}

// Limits on signed submissions.
const MaxSignedNote = 64 << 10

// VerifySigned checks a signed submission by member m for the request
// (method, path, idempotency key) and returns the command's body, and the
// Submission that carries the note to the command.
func (s *Service) VerifySigned(ctx context.Context, m *truce.Member, msg []byte, method, path, idemKey string) ([]byte, *Submission, error) {
	if len(msg) > MaxSignedNote {
		return nil, nil, truce.Errorf(truce.ETOOLARGE, "a signed note is at most %d bytes", MaxSignedNote)
	}
	var key *truce.MemberKey
	var origin string
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		var err error
		if key, err = tx.MemberKey(m.ID); err != nil {
			if truce.ErrorCode(err) == truce.ENOTFOUND {
				return truce.Invalidf("signature", "member %s has no registered key: register one with POST /api/v1/me/keys", m.ID)
			}
			return err
		}
		origin, err = tx.Setting(SettingOrigin)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	c, err := openCommand(msg, key.Key)
	if err != nil {
		return nil, nil, &truce.Error{Code: truce.EFORBIDDEN, Field: "signature", Message: "signature: " + err.Error()}
	}
	switch {
	case c.Origin != origin:
		return nil, nil, truce.Invalidf("signature", "the note is for log %q, not this log (%q)", c.Origin, origin)
	case c.Member != m.ID:
		return nil, nil, truce.Invalidf("signature", "the note is for member %s, not %s", c.Member, m.ID)
	case c.Method != method || c.Path != path:
		return nil, nil, truce.Invalidf("signature", "the note is for %s %s, not %s %s", c.Method, c.Path, method, path)
	case c.IdempotencyKey != idemKey:
		return nil, nil, truce.Invalidf("signature", "the note's idempotency key %q is not the request's %q", c.IdempotencyKey, idemKey)
	case c.IdempotencyKey == "":
		// The key is what makes a signed note good for one command: sent
		// again, it gets the first answer and appends nothing.
		return nil, nil, truce.Invalidf("Idempotency-Key", "a signed submission needs one, named in the note, so that the note cannot be replayed")
	}
	return c.Body, &Submission{Note: string(msg), KeyHash: key.Hash}, nil
}

// openCommand verifies a signed note with a member's key and parses it.
func openCommand(msg []byte, vkey string) (*SignedCommand, error) {
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, err
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		return nil, fmt.Errorf("the note does not verify with the member's registered key: %w", err)
	}
	// note.Open decodes signatures leniently: refuse a second encoding of
	// the same signature, as log checkpoints and bulletins do.
	for _, s := range n.Sigs {
		if _, err := base64.StdEncoding.Strict().DecodeString(s.Base64); err != nil {
			return nil, fmt.Errorf("the signature by %s is not canonical base64", s.Name)
		}
	}
	return ParseSignedCommand(n.Text)
}

// signatureCheck checks, while verify replays the log, that every entry of
// a member with a registered key is signed with that key and says what its
// signed command says; and that members without one did not sign.
type signatureCheck struct {
	origin string
	notes  map[string]int64 // note hash → the first entry that carried it
	// current is the note of the last entry a member made, "" when that
	// entry was not signed: one command's entries are consecutive but for
	// the system's entries (classifications) among them.
	current string
}

func (c *signatureCheck) check(tx truce.Tx, a *truce.Agreement, e *truce.Entry, sidecar *truce.Sidecar) error {
	au := e.Author
	if au == nil {
		return nil
	}
	if au.Attestation != truce.AttestedBySignature {
		c.current = ""
	}
	key, err := tx.MemberKey(au.Member)
	if err != nil && truce.ErrorCode(err) != truce.ENOTFOUND {
		return err
	}
	switch au.Attestation {
	case truce.AttestedByServer:
		if key != nil {
			return fmt.Errorf("member %s has a registered key, so an entry attested by the server alone is not theirs", au.Member)
		}
		return nil
	case truce.AttestedBySignature:
	default:
		return fmt.Errorf("unknown attestation %q", au.Attestation)
	}
	switch {
	case key == nil:
		return fmt.Errorf("signed, but member %s has no registered key", au.Member)
	case au.Key != key.Hash:
		return fmt.Errorf("signed with key %s, but member %s's key is %s", au.Key, au.Member, key.Hash)
	case sidecar == nil || sidecar.Note == "":
		return fmt.Errorf("signed, but the sidecar has no signed note")
	case noteHash(sidecar.Note) != au.Note:
		return fmt.Errorf("the signed note in the sidecar is not the one the entry names")
	}
	cmd, err := openCommand([]byte(sidecar.Note), key.Key)
	if err != nil {
		return err
	}
	if cmd.Origin != c.origin || cmd.Member != au.Member {
		return fmt.Errorf("the signed note is for member %s of log %q", cmd.Member, cmd.Origin)
	}
	// A note is good for one command, whose entries follow each other.
	if c.notes == nil {
		c.notes = map[string]int64{}
	}
	if first, seen := c.notes[au.Note]; seen && au.Note != c.current {
		return fmt.Errorf("the signed note was used before, by entry %d: a note is good for one command", first)
	} else if !seen {
		c.notes[au.Note] = e.Index
	}
	c.current = au.Note
	check, ok := signedCommands[e.Kind]
	if !ok {
		return fmt.Errorf("no member may sign a %s entry", e.Kind)
	}
	if err := check(a, e, sidecar, cmd); err != nil {
		return fmt.Errorf("the entry is not what the signed command asks: %w", err)
	}
	return nil
}

// signedCommands checks an entry against the signed command it came from:
// the route must be the command's, and the payload must be what the
// command's body gives, built again by the same code, with the ids and
// salts the entry recorded.
var signedCommands = map[truce.EntryKind]func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error{
	truce.EntryReportFiled: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.ReportFiled
		var in truce.ReportInput
		if err := expect(c, e, &p, &in); err != nil {
			return err
		}
		built, _, err := buildReport(a, &in, e.Time, recorded(string(p.ID)), recordedSalts(s))
		if built != nil {
			built.Classification = p.Classification // the system's, not the filer's
		}
		return same(built, err, e)
	},
	truce.EntryAssessmentMade: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.AssessmentMade
		var in truce.AssessmentInput
		if err := expect(c, e, &p, &in); err != nil {
			return err
		}
		built, err := buildAssessment(p.Report, &in)
		return same(built, err, e)
	},
	truce.EntryReplyMade: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.ReplyMade
		var in truce.ReplyInput
		if err := expect(c, e, &p, &in); err != nil {
			return err
		}
		return same(&truce.ReplyMade{Report: p.Report, Text: in.Text}, in.Validate(), e)
	},
	truce.EntryRFISent: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.RFISent
		var in truce.RFIInput
		if err := expect(c, e, &p, &in); err != nil {
			return err
		}
		built, _, err := buildRFI(a, e.Author.Organisation, &in, e.Time, recorded(string(p.ID)), recordedSalts(s))
		return same(built, err, e)
	},
	truce.EntryRFIAnswered: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.RFIAnswer
		var in truce.AnswerInput
		if err := expect(c, e, &p, &in); err != nil {
			return err
		}
		built, _, err := buildAnswer(p.RFI, &in, recordedSalts(s))
		return same(built, err, e)
	},
	truce.EntryEvidenceAdded: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.EvidenceAdded
		var in EvidenceNote
		if err := expect(c, e, &p, &in); err != nil {
			return err
		}
		if in.SHA256 != p.SHA256 {
			return fmt.Errorf("the note names file %s, the entry %s", in.SHA256, p.SHA256)
		}
		return nil
	},
	truce.EntryAccessionRecorded: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.AccessionRecorded
		var in truce.AccessionInput
		if err := expect(c, e, &p, &in); err != nil {
			return err
		}
		built, err := buildAccession(a, e.Author.Organisation, &in, e.Time, recorded(string(p.ID)))
		return same(built, err, e)
	},
	truce.EntryMeetingRequested: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.MeetingRequested
		var in truce.MeetingInput
		if err := expect(c, e, &p, &in); err != nil {
			return err
		}
		built, _, err := buildMeetingRequest(&in, e.Time, recorded(string(p.ID)), recordedSalts(s))
		return same(built, err, e)
	},
	truce.EntryMeetingProposed: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.MeetingProposed
		var in truce.MeetingInput
		if err := expect(c, e, &p, &in); err != nil {
			return err
		}
		built, err := buildProposal(p.Meeting, &in, e.Time)
		return same(built, err, e)
	},
	truce.EntryMeetingApproved: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.MeetingApproved
		var in ApprovalInput
		if err := expect(c, e, &p, &in); err != nil {
			return err
		}
		return same(&truce.MeetingApproved{Meeting: p.Meeting, Proposal: in.Proposal}, nil, e)
	},
	truce.EntryMeetingMinuted: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.MeetingMinuted
		var in truce.MinutesInput
		if err := expect(c, e, &p, &in); err != nil {
			return err
		}
		built, _, err := buildMinutes(p.Meeting, &in, recordedSalts(s))
		return same(built, err, e)
	},
	truce.EntryKeyRegistered: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.KeyRegistered
		var in KeyInput
		if err := expect(c, e, &p, &in); err != nil {
			return err
		}
		return same(&truce.KeyRegistered{Member: e.Author.Member, Key: in.Key}, nil, e)
	},
	truce.EntryZoneProposed: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.ZoneProposed
		var in ZoneCollectionInput
		if err := expect(c, e, &p, &in); err != nil {
			return err
		}
		// The command proposed every feature of its collection: the entry
		// must be one of them, built again with the id it recorded.
		for i, f := range in.Features {
			built, err := buildZone(a, f, fmt.Sprintf("features[%d]", i), recorded(string(p.ID)))
			if err == nil && same(built, nil, e) == nil {
				return nil
			}
		}
		return fmt.Errorf("no feature of the signed collection gives zone %s", p.ID)
	},
	truce.EntryZoneApproved: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.ZoneApproved
		var in struct{}
		return expect(c, e, &p, &in)
	},
	truce.EntryPositionClaimed: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.PositionClaimed
		var in truce.PositionInput
		if err := expect(c, e, &p, &in); err != nil {
			return err
		}
		built, err := buildPosition(a, &in, e.Time, recorded(string(p.ID)))
		return same(built, err, e)
	},
	truce.EntryPositionAssessed: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.PositionAssessed
		var in truce.AssessmentInput
		if err := expect(c, e, &p, &in); err != nil {
			return err
		}
		return same(&truce.PositionAssessed{Position: p.Position, Verdict: in.Verdict, Reason: in.Reason}, in.Validate(), e)
	},
	truce.EntryMemberAdded: func(a *truce.Agreement, e *truce.Entry, s *truce.Sidecar, c *SignedCommand) error {
		var p truce.MemberAdded
		var in MemberInput
		if err := expect(c, e, &p, &in); err != nil {
			return err
		}
		return same(&truce.MemberAdded{ID: p.ID, Name: strings.TrimSpace(in.Name), Organisation: in.Organisation, Role: in.Role}, nil, e)
	},
}

// EvidenceNote is the body of a signed evidence upload: the file's hash.
type EvidenceNote struct {
	SHA256 string `json:"sha256"`
}

// KeyInput is the body of a key registration.
type KeyInput struct {
	Key string `json:"key"`
}

// MemberInput is the body of a new member.
type MemberInput struct {
	Name         string        `json:"name"`
	Organisation truce.ActorID `json:"organisation"`
	Role         truce.Role    `json:"role"`
}

// expect decodes the entry's payload into p and the command's body into
// in, and checks that the command was a POST to the route that appends
// such an entry.
func expect(c *SignedCommand, e *truce.Entry, p, in any) error {
	if err := tlog.DecodePayload(e, p); err != nil {
		return err
	}
	if err := decodeStrict(c.Body, in); err != nil {
		return fmt.Errorf("the signed body: %w", err)
	}
	want := commandPath(e.Kind, p)
	if c.Method != "POST" || c.Path != want {
		return fmt.Errorf("signed for %s %s, but the entry records POST %s", c.Method, c.Path, want)
	}
	return nil
}

// commandPath is the route a signed command of the entry's kind names.
func commandPath(kind truce.EntryKind, p any) string {
	switch p := p.(type) {
	case *truce.AssessmentMade:
		return "/api/v1/reports/" + string(p.Report) + "/assessments"
	case *truce.ReplyMade:
		return "/api/v1/reports/" + string(p.Report) + "/replies"
	case *truce.EvidenceAdded:
		return "/api/v1/reports/" + string(p.Report) + "/evidence"
	case *truce.RFIAnswer:
		return "/api/v1/rfis/" + string(p.RFI) + "/answers"
	case *truce.MeetingProposed:
		return "/api/v1/meetings/" + string(p.Meeting) + "/proposals"
	case *truce.MeetingApproved:
		return "/api/v1/meetings/" + string(p.Meeting) + "/approvals"
	case *truce.MeetingMinuted:
		return "/api/v1/meetings/" + string(p.Meeting) + "/minutes"
	case *truce.ReportFiled:
		return "/api/v1/reports"
	case *truce.RFISent:
		return "/api/v1/rfis"
	case *truce.AccessionRecorded:
		return "/api/v1/accessions"
	case *truce.MeetingRequested:
		return "/api/v1/meetings"
	case *truce.KeyRegistered:
		return "/api/v1/me/keys"
	case *truce.MemberAdded:
		return "/api/v1/members"
	case *truce.ZoneProposed:
		return "/api/v1/zones"
	case *truce.ZoneApproved:
		return "/api/v1/zones/" + string(p.Zone) + "/approvals"
	case *truce.PositionClaimed:
		return "/api/v1/positions"
	case *truce.PositionAssessed:
		return "/api/v1/positions/" + string(p.Position) + "/assessments"
	}
	return "?" + string(kind)
}

// recordedSalts gives back the salts an entry's sidecar recorded.
func recordedSalts(s *truce.Sidecar) salts {
	return func(field string) ([]byte, error) {
		if s == nil || s.Sealed[field].Salt == nil {
			return nil, fmt.Errorf("the sidecar has no sealed %s", field)
		}
		return s.Sealed[field].Salt, nil
	}
}

// recorded is an idSource that gives back the id an entry recorded.
func recorded(id string) idSource {
	return func(prefix string) (string, error) {
		if !strings.HasPrefix(id, prefix) {
			return "", fmt.Errorf("recorded id %q lacks prefix %q", id, prefix)
		}
		return id, nil
	}
}

// same checks that the payload built again from the signed command is the
// entry's, byte for byte.
func same(built any, err error, e *truce.Entry) error {
	if err != nil {
		return fmt.Errorf("the signed body is refused: %w", err)
	}
	b, err := tlog.Canonical(built)
	if err != nil {
		return err
	}
	if !bytes.Equal(b, e.Payload) {
		return fmt.Errorf("the signed body gives %s, the entry records %s", b, e.Payload)
	}
	return nil
}

// decodeStrict decodes JSON refusing unknown fields.
func decodeStrict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}
