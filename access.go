package truce

import "time"

// The access rules of the workflow, as pure functions of the agreement, the
// member asking (nil for the public) and the object. The HTTP layer's
// authorisation matrix (http/authz.csv) is the same rules seen from the
// routes; its test runs every cell.

// Evidence is a file recorded as evidence of a report: its SHA-256 is in
// the log, the file itself in the data directory.
type Evidence struct {
	Report       ReportID  `json:"report"`
	SHA256       string    `json:"sha256"`
	Size         int64     `json:"size"`
	MediaType    string    `json:"media_type"`
	Member       MemberID  `json:"added_by"`
	Organisation ActorID   `json:"organisation"`
	AddedAt      time.Time `json:"added_at"`
	Entry        int64     `json:"entry"`
}

// guarantorStaff reports whether m works for a guarantor, as its officer
// or its monitor.
func guarantorStaff(a *Agreement, m *Member) bool {
	return m != nil && (m.Role == RoleGuarantor || m.Role == RoleMonitor) && a.IsGuarantor(m.Organisation)
}

// CanReadSourceIdentity: only the filing organisation and the guarantors
// learn who told the filer.
func CanReadSourceIdentity(a *Agreement, m *Member, r *Report) bool {
	return m != nil && m.Role != RoleOperator && (m.Organisation == r.Organisation || guarantorStaff(a, m))
}

// CanAddEvidence: the filing organisation's members who may file, and any
// guarantor officer.
func CanAddEvidence(a *Agreement, m *Member, r *Report) bool {
	return m != nil && m.Role.CanFileReport() && (m.Organisation == r.Organisation || m.Role == RoleGuarantor)
}

// CanReadEvidence: evidence is restricted to the filing organisation and
// the guarantors. The operator runs the server but does not read it.
func CanReadEvidence(a *Agreement, m *Member, r *Report) bool {
	return CanReadSourceIdentity(a, m, r)
}

// CanReply: a party's liaison may answer a report that accuses the party.
func CanReply(m *Member, r *Report) bool {
	return m != nil && m.Role == RoleParty && r.Perpetrator != "" && r.Perpetrator == m.Organisation
}

// CanSendRFI: guarantor officers send requests for information.
func CanSendRFI(m *Member) bool { return m != nil && m.Role == RoleGuarantor }

// CanAnswerRFI: the organisation asked answers, through its liaison or
// officer.
func CanAnswerRFI(m *Member, r *RFI) bool {
	return m != nil && (m.Role == RoleParty || m.Role == RoleGuarantor) && m.Organisation == r.To
}

// CanReadRFI: requests are correspondence of the joint body. Guarantors'
// staff and observers read them all; a party reads those sent to it.
func CanReadRFI(a *Agreement, m *Member, r *RFI) bool {
	return m != nil && (guarantorStaff(a, m) || m.Role == RoleObserver || (m.Role == RoleParty && m.Organisation == r.To))
}

// CanListRFIs: who may read requests at all — guarantors' staff and
// observers, and parties (for those sent to them). CanReadRFI then decides
// each request.
func CanListRFIs(a *Agreement, m *Member) bool {
	return guarantorStaff(a, m) || (m != nil && (m.Role == RoleObserver || m.Role == RoleParty))
}

// CanRecordAccession: a guarantor officer records accessions through its
// own guarantor.
func CanRecordAccession(m *Member) bool { return m != nil && m.Role == RoleGuarantor }

// CanManageMeetings: guarantor officers request, propose, approve and
// minute meetings.
func CanManageMeetings(m *Member) bool { return m != nil && m.Role == RoleGuarantor }

// CanReadMeetings: the joint body's meetings are read by guarantors'
// staff and observers.
func CanReadMeetings(a *Agreement, m *Member) bool {
	return guarantorStaff(a, m) || (m != nil && m.Role == RoleObserver)
}

// CanRegisterKey: every member may register the key it signs with.
func CanRegisterKey(m *Member) bool { return m != nil }

// Disclosed is what a viewer may see of a report's restricted parts.
type Disclosed struct {
	Coordinates    string   // the disclosure mode applied
	Lon, Lat       *float64 // nil when hidden
	SourceIdentity string   // empty unless the viewer may read it
	// Classification is the report's classification as far as the
	// coordinates' disclosure allows: nil when they are hidden.
	Classification *Classification
}

// Disclose applies the agreement's disclosure policy to a report for a
// viewer (nil for the public): coordinates by the viewer's role (exact for
// the filing organisation), the source's identity only to the filing
// organisation and the guarantors.
func (a *Agreement) Disclose(m *Member, r *Report) Disclosed {
	role, org := RolePublic, ActorID("")
	if m != nil {
		role, org = m.Role, m.Organisation
	}
	d := a.DisclosureFor(role, org, r.Organisation)
	out := Disclosed{Coordinates: d.Coordinates}
	if lon, lat, ok := d.Apply(r.Lon, r.Lat); ok {
		out.Lon, out.Lat = &lon, &lat
	}
	out.Classification = d.Classify(r.Classification)
	if CanReadSourceIdentity(a, m, r) {
		out.SourceIdentity = r.SourceIdentity
	}
	return out
}
