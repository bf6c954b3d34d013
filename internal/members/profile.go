package members

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Limits on what a profile holds.
const (
	MaxBio          = 500
	MaxShortText    = 80
	MaxListItems    = 20
	MaxItemLength   = 40
	MaxContactTimes = 200
)

// Pathway is one recovery pathway a member may identify with.
type Pathway struct{ Key, Label string }

// Pathways lists the recovery pathways, in the order the form shows them.
var Pathways = []Pathway{
	{"12-step", "12-step"},
	{"smart", "SMART Recovery"},
	{"faith", "Faith-based"},
	{"mat", "Medication-assisted"},
	{"secular", "Secular"},
	{"other", "Other"},
}

// PathwayLabel returns the label of the pathway key, or key itself.
func PathwayLabel(key string) string {
	for _, p := range Pathways {
		if p.Key == key {
			return p.Label
		}
	}
	return key
}

// FieldVisibility holds who may see each sensitive field of a member.
type FieldVisibility struct{ Recovery, Milestones, Pathways, Checkins access.Visibility }

// DefaultVisibility is what a member who never chose has: coach only.
var DefaultVisibility = FieldVisibility{access.VisCoach, access.VisCoach, access.VisCoach, access.VisCoach}

// Profile is what a member tells their program about themself.
type Profile struct {
	UserID, ProgramID string
	Pronouns, Bio     string
	City              string
	Languages         []string
	Interests         []string
	// Pathways holds keys of [Pathways].
	Pathways     []string
	ContactTimes string
	// Hidden: "hide me from the directory".
	Hidden     bool
	Visibility FieldVisibility
	PhotoID    string
	UpdatedAt  time.Time
}

const profileColumns = `user_id, program_id, pronouns, bio, city, languages, interests, pathways, contact_times,
	hidden, vis_recovery, vis_milestones, vis_pathways, vis_checkins, photo_id, updated_at`

func scanProfile(row interface{ Scan(...any) error }) (*Profile, error) {
	var (
		p                 Profile
		langs, ints, pths string
		vr, vm, vp, vc    string
		photo             sql.NullString
	)
	err := row.Scan(&p.UserID, &p.ProgramID, &p.Pronouns, &p.Bio, &p.City, &langs, &ints, &pths, &p.ContactTimes,
		&p.Hidden, &vr, &vm, &vp, &vc, &photo, &p.UpdatedAt)
	if err != nil {
		return nil, err
	}
	p.Languages, p.Interests, p.Pathways = decodeList(langs), decodeList(ints), decodeList(pths)
	p.Visibility = FieldVisibility{visOrDefault(vr), visOrDefault(vm), visOrDefault(vp), visOrDefault(vc)}
	p.PhotoID = photo.String
	return &p, nil
}

func visOrDefault(s string) access.Visibility {
	v, err := access.ParseVisibility(s)
	if err != nil {
		return access.VisMe
	}
	return v
}

func decodeList(s string) []string {
	var out []string
	if json.Unmarshal([]byte(s), &out) != nil {
		return nil
	}
	return out
}

func encodeList(l []string) string {
	if l == nil {
		l = []string{}
	}
	b, _ := json.Marshal(l)
	return string(b)
}

// loadProfile returns the stored profile of userID, or an empty one with
// the default visibility when the member never saved one. A user who does
// not exist is db.ErrNotFound.
func loadProfile(ctx context.Context, q db.Querier, userID string) (*Profile, error) {
	p, err := scanProfile(q.QueryRow(ctx, `SELECT `+profileColumns+` FROM profiles WHERE user_id = ?`, userID))
	if err == nil {
		return p, nil
	}
	if err = db.Err(err); !errors.Is(err, db.ErrNotFound) {
		return nil, fmt.Errorf("members: load profile: %w", err)
	}
	var programID string
	if err := q.QueryRow(ctx, `SELECT program_id FROM users WHERE id = ?`, userID).Scan(&programID); err != nil {
		return nil, db.Err(err)
	}
	return &Profile{UserID: userID, ProgramID: programID, Visibility: DefaultVisibility}, nil
}

// VisibilityOf returns who may see each sensitive field of memberID: the
// defaults (coach only) when the member never saved a profile.
func VisibilityOf(ctx context.Context, q db.Querier, memberID string) (FieldVisibility, error) {
	p, err := loadProfile(ctx, q, memberID)
	if err != nil {
		return FieldVisibility{}, err
	}
	return p.Visibility, nil
}

// MyProfile returns the actor's own profile.
func MyProfile(ctx context.Context, q db.Querier, actor access.Actor) (*Profile, error) {
	if actor.Anonymous() {
		return nil, access.ErrNotFound
	}
	return loadProfile(ctx, q, actor.UserID)
}

// ProfileInput is a submitted profile: every field is replaced.
type ProfileInput struct {
	Pronouns     string
	Bio          string
	City         string
	Languages    []string
	Interests    []string
	Pathways     []string
	ContactTimes string
	Hidden       bool
	Visibility   FieldVisibility
}

// Input returns the profile as an input, for forms and partial updates.
func (p *Profile) Input() ProfileInput {
	return ProfileInput{
		Pronouns: p.Pronouns, Bio: p.Bio, City: p.City,
		Languages: p.Languages, Interests: p.Interests, Pathways: p.Pathways,
		ContactTimes: p.ContactTimes, Hidden: p.Hidden, Visibility: p.Visibility,
	}
}

// Validate checks the input and returns it cleaned (text trimmed, lists
// without blanks and duplicates), or a ValidationError naming each bad
// field. Text is kept as typed; it is escaped where it is shown.
func (in ProfileInput) Validate() (ProfileInput, error) {
	var verr ValidationError
	out := in
	text := func(field, s string, max int) string {
		s = strings.TrimSpace(s)
		switch {
		case !utf8.ValidString(s):
			verr.add(field, "Must be valid UTF-8 text.")
		case strings.ContainsFunc(s, isControl(field == "bio")):
			verr.add(field, "Must not contain control characters.")
		case utf8.RuneCountInString(s) > max:
			verr.add(field, "Must be at most %d characters (it has %d).", max, utf8.RuneCountInString(s))
		}
		return s
	}
	out.Pronouns = text("pronouns", in.Pronouns, MaxShortText)
	out.Bio = strings.ReplaceAll(text("bio", in.Bio, MaxBio), "\r\n", "\n")
	out.City = text("city", in.City, MaxShortText)
	out.ContactTimes = text("contact_times", in.ContactTimes, MaxContactTimes)
	list := func(field string, l []string) []string {
		var res []string
		seen := map[string]bool{}
		for _, item := range l {
			item = strings.TrimSpace(item)
			if item == "" || seen[strings.ToLower(item)] {
				continue
			}
			seen[strings.ToLower(item)] = true
			if !utf8.ValidString(item) || strings.ContainsFunc(item, isControl(false)) {
				verr.add(field, "Items must be plain text.")
				return nil
			}
			if utf8.RuneCountInString(item) > MaxItemLength {
				verr.add(field, "Each item must be at most %d characters.", MaxItemLength)
				return nil
			}
			res = append(res, item)
		}
		if len(res) > MaxListItems {
			verr.add(field, "At most %d items.", MaxListItems)
			return nil
		}
		return res
	}
	out.Languages = list("languages", in.Languages)
	out.Interests = list("interests", in.Interests)
	out.Pathways = nil
	for _, item := range list("pathways", in.Pathways) {
		key, ok := PathwayKey(item)
		if !ok {
			verr.add("pathways", "Unknown pathway %q (choose 12-step, smart, faith, mat, secular or other).", item)
			break
		}
		if !slices.Contains(out.Pathways, key) {
			out.Pathways = append(out.Pathways, key)
		}
	}
	for _, f := range []struct {
		name string
		v    access.Visibility
	}{
		{"vis_recovery", in.Visibility.Recovery}, {"vis_milestones", in.Visibility.Milestones},
		{"vis_pathways", in.Visibility.Pathways}, {"vis_checkins", in.Visibility.Checkins},
	} {
		if _, err := access.ParseVisibility(string(f.v)); err != nil {
			verr.add(f.name, "Choose me, coach, buddy or program.")
		}
	}
	if len(verr) > 0 {
		return in, verr
	}
	return out, nil
}

// PathwayKey returns the key of the pathway named s by its key or its
// label, in any case.
func PathwayKey(s string) (string, bool) {
	for _, p := range Pathways {
		if strings.EqualFold(p.Key, s) || strings.EqualFold(p.Label, s) {
			return p.Key, true
		}
	}
	return "", false
}

// isControl matches control characters; newlines and tabs are allowed in
// multi-line text.
func isControl(multiline bool) func(rune) bool {
	return func(r rune) bool {
		if multiline && (r == '\n' || r == '\r' || r == '\t') {
			return false
		}
		return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0)
	}
}

// SaveProfile validates in and stores it as the actor's own profile. Only
// alumni and staff have profiles. The change is audited (without its
// content).
func SaveProfile(ctx context.Context, d *db.DB, actor access.Actor, in ProfileInput) (*Profile, error) {
	if err := access.UseProfiles(actor); err != nil {
		return nil, err
	}
	err := d.Tx(ctx, func(tx *db.Tx) error { return SaveProfileTx(ctx, tx, actor, actor.UserID, in) })
	if err != nil {
		return nil, err
	}
	return loadProfile(ctx, d, actor.UserID)
}

// SaveProfileTx validates in and stores it as userID's profile inside tx,
// audited as done by by (the member, or the installation when seeding).
// Callers check that by may do so.
func SaveProfileTx(ctx context.Context, tx *db.Tx, by access.Actor, userID string, in ProfileInput) error {
	in, err := in.Validate()
	if err != nil {
		return err
	}
	var programID, role string
	if err := tx.QueryRow(ctx, `SELECT program_id, role FROM users WHERE id = ?`, userID).Scan(&programID, &role); err != nil {
		return db.Err(err)
	}
	if !peerRole(access.Role(role)) {
		return access.ErrNotFound
	}
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM profiles WHERE user_id = ?`, userID).Scan(&n); err != nil {
		return fmt.Errorf("members: save profile: %w", err)
	}
	args := []any{in.Pronouns, in.Bio, in.City, encodeList(in.Languages), encodeList(in.Interests), encodeList(in.Pathways),
		in.ContactTimes, in.Hidden, string(in.Visibility.Recovery), string(in.Visibility.Milestones),
		string(in.Visibility.Pathways), string(in.Visibility.Checkins), time.Now().UTC()}
	if n == 0 {
		_, err = tx.Exec(ctx, `INSERT INTO profiles (pronouns, bio, city, languages, interests, pathways, contact_times,
			hidden, vis_recovery, vis_milestones, vis_pathways, vis_checkins, updated_at, user_id, program_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, append(args, userID, programID)...)
	} else {
		_, err = tx.Exec(ctx, `UPDATE profiles SET pronouns = ?, bio = ?, city = ?, languages = ?, interests = ?, pathways = ?,
			contact_times = ?, hidden = ?, vis_recovery = ?, vis_milestones = ?, vis_pathways = ?, vis_checkins = ?,
			updated_at = ? WHERE user_id = ?`, append(args, userID)...)
	}
	if err != nil {
		return fmt.Errorf("members: save profile: %w", err)
	}
	return audit.Record(ctx, tx, by, audit.Event{Action: "profile.update", SubjectType: "user",
		SubjectID: userID, ProgramID: programID})
}
