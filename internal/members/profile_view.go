package members

import (
	"context"
	"database/sql"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// MemberView is a member's profile as one viewer may see it. Fields the
// viewer may not see are empty and their Visible flag is false.
type MemberView struct {
	ID string
	// DisplayName is the first name and last initial.
	DisplayName string
	// FullName is the first and last name; only for the member and staff.
	FullName string
	Role     access.Role
	Pronouns string
	Bio      string
	City     string

	Languages    []string
	Interests    []string
	ContactTimes string

	// Pathways holds pathway keys, only when PathwaysVisible.
	Pathways        []string
	PathwaysVisible bool

	// RecoverySince is the start of the current recovery period and
	// RecoveryDays its length, only when RecoveryVisible (the member's
	// recovery-date visibility lets the viewer see it) and a period exists.
	RecoverySince   Date
	RecoveryDays    int
	RecoveryVisible bool

	HasPhoto bool
	// Hidden is shown only to the member and staff.
	Hidden bool
	// Visibility is the member's settings; only for the member.
	Visibility *FieldVisibility
	// Relation is how the viewer stands to the member.
	Relation access.Relation
}

// PathwayLabels returns the labels of the visible pathways.
func (v *MemberView) PathwayLabels() []string {
	out := make([]string, len(v.Pathways))
	for i, k := range v.Pathways {
		out[i] = PathwayLabel(k)
	}
	return out
}

// memberRow is a member with their profile, as the directory and the
// member page read it.
type memberRow struct {
	id, programID, email, first, last string
	role                              access.Role
	disabled                          bool
	profile                           *Profile
}

const memberSelect = `SELECT u.id, u.program_id, u.email, u.first_name, u.last_name, u.role, u.disabled_at,
	p.pronouns, p.bio, p.city, p.languages, p.interests, p.pathways, p.contact_times, (p.hidden OR p.moderation_hidden),
	p.vis_recovery, p.vis_milestones, p.vis_pathways, p.vis_checkins, p.photo_id, p.updated_at
	FROM users u LEFT JOIN profiles p ON p.user_id = u.id`

func scanMember(row interface{ Scan(...any) error }) (*memberRow, error) {
	var (
		m                                  memberRow
		role                               string
		disabled                           sql.NullTime
		pronouns, bio, city, langs, ints   sql.NullString
		pths, contact, vr, vm, vp, vc, pid sql.NullString
		hidden                             sql.NullBool
		updated                            sql.NullTime
	)
	if err := row.Scan(&m.id, &m.programID, &m.email, &m.first, &m.last, &role, &disabled,
		&pronouns, &bio, &city, &langs, &ints, &pths, &contact, &hidden, &vr, &vm, &vp, &vc, &pid, &updated); err != nil {
		return nil, err
	}
	m.role = access.Role(role)
	m.disabled = disabled.Valid
	p := &Profile{UserID: m.id, ProgramID: m.programID, Visibility: DefaultVisibility}
	if updated.Valid {
		p.Pronouns, p.Bio, p.City, p.ContactTimes = pronouns.String, bio.String, city.String, contact.String
		p.Languages, p.Interests, p.Pathways = decodeList(langs.String), decodeList(ints.String), decodeList(pths.String)
		p.Hidden = hidden.Bool
		p.Visibility = FieldVisibility{visOrDefault(vr.String), visOrDefault(vm.String), visOrDefault(vp.String), visOrDefault(vc.String)}
		p.PhotoID = pid.String
		p.UpdatedAt = updated.Time
	}
	m.profile = p
	return &m, nil
}

func (m *memberRow) displayName() string {
	first, last := strings.TrimSpace(m.first), strings.TrimSpace(m.last)
	if first == "" {
		if i := strings.IndexByte(m.email, '@'); i > 0 {
			return m.email[:i]
		}
		return "Member"
	}
	if last == "" {
		return first
	}
	r, _ := utf8.DecodeRuneInString(last)
	return first + " " + string(unicode.ToUpper(r)) + "."
}

// visibleTo reports whether viewer, standing rel to the member, may see the
// member at all: same program, a member (never family) not disabled, and,
// when the member hides from the directory, only the member, staff, their
// coaches and their buddy.
func (m *memberRow) visibleTo(viewer access.Actor, rel access.Relation) bool {
	if rel.Self {
		return true
	}
	if !rel.SameProgram || m.role == access.Family || m.disabled {
		return false
	}
	if m.profile.Hidden {
		return access.SeeHiddenMembers(viewer, m.programID) == nil || rel.Coach || rel.Buddy
	}
	return true
}

func (m *memberRow) view(viewer access.Actor, rel access.Relation) *MemberView {
	p := m.profile
	v := &MemberView{
		ID: m.id, DisplayName: m.displayName(), Role: m.role,
		Pronouns: p.Pronouns, Bio: p.Bio, City: p.City,
		Languages: p.Languages, Interests: p.Interests, ContactTimes: p.ContactTimes,
		HasPhoto: p.PhotoID != "", Relation: rel,
	}
	if rel.Self || viewer.Role.Staff() {
		v.FullName = strings.TrimSpace(m.first + " " + m.last)
		v.Hidden = p.Hidden
	}
	if rel.Self {
		vis := p.Visibility
		v.Visibility = &vis
	}
	if access.MaySee(p.Visibility.Pathways, rel) {
		v.Pathways, v.PathwaysVisible = p.Pathways, true
	}
	return v
}

// ViewMember returns memberID's profile as viewer may see it. A member of
// another program, a family member, a disabled account, a member hidden
// from the viewer, or a viewer who is family, are all db.ErrNotFound.
func ViewMember(ctx context.Context, q db.Querier, viewer access.Actor, memberID string) (*MemberView, error) {
	if err := access.UseProfiles(viewer); err != nil {
		return nil, err
	}
	m, err := scanMember(q.QueryRow(ctx, memberSelect+` WHERE u.id = ?`, memberID))
	if err != nil {
		return nil, db.Err(err)
	}
	rel, err := RelationTo(ctx, q, viewer, memberID)
	if err != nil {
		return nil, err
	}
	if !m.visibleTo(viewer, rel) {
		return nil, access.ErrNotFound
	}
	// Blocked people do not see each other, whoever blocked: not on the
	// profile page, not through the API, not their photo.
	if !rel.Self {
		if blocked, err := safety.Blocked(ctx, q, viewer.UserID, memberID); err != nil {
			return nil, err
		} else if blocked {
			return nil, access.ErrNotFound
		}
	}
	v := m.view(viewer, rel)
	if m.role == access.Alumnus && access.MaySee(m.profile.Visibility.Recovery, rel) {
		if err := v.loadRecovery(ctx, q, memberID, m.programID); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// loadRecovery fills in the current recovery period, if there is one.
func (v *MemberView) loadRecovery(ctx context.Context, q db.Querier, memberID, programID string) error {
	start, ok, err := currentStart(ctx, q, memberID)
	if err != nil || !ok {
		return err
	}
	p, err := programs.Get(ctx, q, programID)
	if err != nil {
		return err
	}
	today := Today(p.Location(), clock())
	v.RecoverySince, v.RecoveryVisible = start, true
	v.RecoveryDays = Period{Start: start}.Days(today)
	return nil
}
