package workflow

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"truce"
)

// tokenPrefix starts every bearer token, so that a leaked one is easy to
// recognise in logs and scanners.
const tokenPrefix = "truce_"

// maxTokenLength bounds what Authenticate will hash.
const maxTokenLength = 128

func (s *Service) newToken() (string, [32]byte, error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(s.Rand, b); err != nil {
		return "", [32]byte{}, fmt.Errorf("random token: %w", err)
	}
	tok := tokenPrefix + base64.RawURLEncoding.EncodeToString(b)
	return tok, sha256.Sum256([]byte(tok)), nil
}

// Authenticate returns the member a bearer token belongs to, or an
// EUNAUTHORIZED error.
func (s *Service) Authenticate(ctx context.Context, token string) (*truce.Member, error) {
	if !strings.HasPrefix(token, tokenPrefix) || len(token) > maxTokenLength {
		return nil, truce.Errorf(truce.EUNAUTHORIZED, "the token is not a truce token")
	}
	hash := sha256.Sum256([]byte(token))
	if m := s.tokens.get(hash, s.Now()); m != nil {
		return m, nil
	}
	var m *truce.Member
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		var err error
		m, err = tx.MemberByCredential(hash)
		return err
	})
	if truce.ErrorCode(err) == truce.ENOTFOUND {
		return nil, truce.Errorf(truce.EUNAUTHORIZED, "the token matches no member")
	} else if err != nil {
		return nil, err
	}
	s.tokens.put(hash, m, s.Now())
	return m, nil
}

// tokenCache remembers, for a short while, which member a token hash
// belongs to: every request is authenticated, and members and their
// credentials do not change once written. An entry lives tokenTTL, so
// that a credential removed from the store is refused again soon.
type tokenCache struct {
	mu sync.Mutex
	m  map[[32]byte]cachedToken
}

type cachedToken struct {
	member  *truce.Member
	expires time.Time
}

const (
	tokenTTL        = time.Minute
	maxCachedTokens = 10000
)

func (c *tokenCache) get(hash [32]byte, now time.Time) *truce.Member {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.m[hash]
	if !ok || now.After(t.expires) {
		return nil
	}
	return t.member
}

func (c *tokenCache) put(hash [32]byte, m *truce.Member, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxCachedTokens {
		c.m = map[[32]byte]cachedToken{}
	}
	c.m[hash] = cachedToken{m, now.Add(tokenTTL)}
}

// InitOptions set up a new log.
type InitOptions struct {
	Agreement    *truce.Agreement
	Origin       string // the log's origin; the signer's name
	Verifier     string // the log's public key, note verifier form
	OperatorName string
}

// Init starts a log in an empty store: it records the log's settings, loads
// the agreement as entry 0, adds the first operator as entry 1 and issues
// the first checkpoint. It returns the operator and its token, which is
// shown once and stored only hashed.
func (s *Service) Init(ctx context.Context, opt InitOptions) (*truce.Member, string, error) {
	if err := opt.Agreement.Validate(); err != nil {
		return nil, "", err
	}
	if s.Signer == nil || s.Signer.Name() != opt.Origin {
		return nil, "", fmt.Errorf("init: the log key must be named after the origin %q", opt.Origin)
	}
	org := truce.ActorID("")
	for _, x := range opt.Agreement.Actors {
		if x.Standing == truce.Secretariat {
			org = x.ID
			break
		}
	}
	if org == "" {
		return nil, "", truce.Invalidf("secretariat", "the agreement names no secretariat for the operator to belong to")
	}
	if opt.OperatorName == "" {
		opt.OperatorName = "operator"
	}
	var m *truce.Member
	var token string
	err := s.update(ctx, func(tx *wtx) error {
		if n, err := tx.LogSize(); err != nil {
			return err
		} else if n != 0 {
			return truce.Errorf(truce.ECONFLICT, "the store already holds a log of %d entries", n)
		}
		if err := tx.PutSetting(SettingOrigin, opt.Origin); err != nil {
			return err
		}
		if err := tx.PutSetting(SettingVerifier, opt.Verifier); err != nil {
			return err
		}
		if _, err := s.appendEntry(tx, truce.EntryAgreementLoaded, &truce.AgreementLoaded{Agreement: opt.Agreement}, nil); err != nil {
			return err
		}
		var err error
		m, token, err = s.addMember(tx, opt.OperatorName, org, truce.RoleOperator)
		return err
	})
	if err != nil {
		return nil, "", err
	}
	if _, err := s.IssueCheckpoint(ctx); err != nil {
		return nil, "", err
	}
	return m, token, nil
}

// AddMember adds a member on behalf of an operator and returns it with its
// token, which is shown once.
func (s *Service) AddMember(ctx context.Context, by *truce.Member, name string, org truce.ActorID, role truce.Role) (*truce.Member, string, error) {
	if by == nil || !by.Role.CanAdminister() {
		return nil, "", Forbidden(by, "add members")
	}
	out, err := command(s, ctx, by, func(tx *wtx) (*addedMember, error) {
		m, token, err := s.addMember(tx, name, org, role)
		return &addedMember{m, token}, err
	})
	if err != nil {
		return nil, "", err
	}
	return out.Member, out.Token, nil
}

// addedMember is a new member with its token, which is never kept.
type addedMember struct {
	*truce.Member
	Token string `json:"token,omitempty"`
}

func (a *addedMember) withoutSecrets() any { return &addedMember{Member: a.Member} }

func (a *addedMember) replayError() error {
	return truce.Errorf(truce.ECONFLICT, "this request added member %s; its token was shown once and is not kept", a.Member.ID)
}

func (s *Service) addMember(tx *wtx, name string, org truce.ActorID, role truce.Role) (*truce.Member, string, error) {
	a, err := s.loadAgreement(tx)
	if err != nil {
		return nil, "", err
	}
	name = strings.TrimSpace(name)
	if err := truce.ValidateMember(a, name, org, role); err != nil {
		return nil, "", err
	}
	id, err := s.newID("mem_")
	if err != nil {
		return nil, "", err
	}
	token, hash, err := s.newToken()
	if err != nil {
		return nil, "", err
	}
	p := &truce.MemberAdded{ID: truce.MemberID(id), Name: name, Organisation: org, Role: role}
	e, err := s.appendEntry(tx, truce.EntryMemberAdded, p, nil)
	if err != nil {
		return nil, "", err
	}
	if err := tx.AddCredential(hash, p.ID, e.Time); err != nil {
		return nil, "", err
	}
	m, err := tx.Member(p.ID)
	return m, token, err
}

// RegisterKey records the member's Ed25519 key (a note verifier key), with
// which it must sign its submissions from then on. Replacing a key takes a
// submission signed with the old one.
func (s *Service) RegisterKey(ctx context.Context, by *truce.Member, key string) (*truce.MemberKey, error) {
	if !truce.CanRegisterKey(by) {
		return nil, Forbidden(by, "register a key")
	}
	if len(key) > 200 {
		return nil, truce.Invalidf("key", "must be at most 200 characters")
	}
	if _, err := KeyHash(key); err != nil {
		return nil, err
	}
	return command(s, ctx, by, func(tx *wtx) (*truce.MemberKey, error) {
		if _, err := s.appendEntry(tx, truce.EntryKeyRegistered, &truce.KeyRegistered{Member: by.ID, Key: key}, nil); err != nil {
			return nil, err
		}
		return tx.MemberKey(by.ID)
	})
}

// MemberKey returns a member's registered key, or ENOTFOUND.
func (s *Service) MemberKey(ctx context.Context, id truce.MemberID) (*truce.MemberKey, error) {
	var k *truce.MemberKey
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		var err error
		k, err = tx.MemberKey(id)
		return err
	})
	return k, err
}

// Members lists the members, for operators.
func (s *Service) Members(ctx context.Context, by *truce.Member) ([]*truce.Member, error) {
	if by == nil || !by.Role.CanAdminister() {
		return nil, Forbidden(by, "list members")
	}
	var ms []*truce.Member
	err := s.Store.View(ctx, func(tx truce.Tx) error {
		var err error
		ms, err = tx.Members()
		return err
	})
	return ms, err
}

// Forbidden explains to a member (or an anonymous caller: EUNAUTHORIZED)
// what their role may not do.
func Forbidden(m *truce.Member, what string) error {
	if m == nil {
		return truce.Errorf(truce.EUNAUTHORIZED, "a member's bearer token is required to %s", what)
	}
	return truce.Errorf(truce.EFORBIDDEN, "a member with the %s role may not %s", m.Role, what)
}
