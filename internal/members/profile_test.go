package members

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// world is a program with a member (alex), their coach and buddy, another
// alumnus, a coordinator, a family member, and an alumnus of a second
// program.
type world struct {
	ctx                                            context.Context
	d                                              *db.DB
	prog, other                                    string
	alex, coach, buddy, peer, staff, family, alien access.Actor
}

func addUser(t *testing.T, ctx context.Context, d *db.DB, programID string, role access.Role, first, last string) access.Actor {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	now := time.Now().UTC()
	if _, err := d.Exec(ctx, `INSERT INTO users (id, program_id, email, first_name, last_name, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, programID, strings.ToLower(first)+"-"+id[len(id)-8:]+"@example.test",
		first, last, string(role), now, now); err != nil {
		t.Fatalf("add user: %v", err)
	}
	return access.Actor{UserID: id, ProgramID: programID, Role: role}
}

func newWorld(t *testing.T, d *db.DB) *world {
	t.Helper()
	ctx := context.Background()
	p1, err := programs.Create(ctx, d, programs.Settings{Name: "Harbor Light", TimeZone: "America/Chicago"})
	if err != nil {
		t.Fatal(err)
	}
	p2, err := programs.Create(ctx, d, programs.Settings{Name: "Other Shore", TimeZone: "Europe/Berlin"})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{ctx: ctx, d: d, prog: p1.ID, other: p2.ID}
	w.alex = addUser(t, ctx, d, p1.ID, access.Alumnus, "Alex", "Rivera")
	w.coach = addUser(t, ctx, d, p1.ID, access.Coach, "Casey", "Moreno")
	w.buddy = addUser(t, ctx, d, p1.ID, access.Alumnus, "Bo", "Lind")
	w.peer = addUser(t, ctx, d, p1.ID, access.Alumnus, "Pat", "Quinn")
	w.staff = addUser(t, ctx, d, p1.ID, access.Coordinator, "Sam", "Ortiz")
	w.family = addUser(t, ctx, d, p1.ID, access.Family, "Fran", "Rivera")
	w.alien = addUser(t, ctx, d, p2.ID, access.Alumnus, "Ola", "Nord")
	err = d.Tx(ctx, func(tx *db.Tx) error {
		if err := AssignCoach(ctx, tx, p1.ID, w.alex.UserID, w.coach.UserID); err != nil {
			return err
		}
		if err := AssignCoach(ctx, tx, p1.ID, w.alex.UserID, w.coach.UserID); err != nil { // idempotent
			return err
		}
		return AddBuddies(ctx, tx, p1.ID, w.alex.UserID, w.buddy.UserID)
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) save(t *testing.T, a access.Actor, in ProfileInput) {
	t.Helper()
	if in.Visibility == (FieldVisibility{}) {
		in.Visibility = DefaultVisibility
	}
	if _, err := SaveProfile(w.ctx, w.d, a, in); err != nil {
		t.Fatalf("save profile: %v", err)
	}
}

func TestRelationTo(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		cases := []struct {
			name   string
			viewer access.Actor
			want   access.Relation
		}{
			{"self", w.alex, access.Relation{Self: true, SameProgram: true}},
			{"coach", w.coach, access.Relation{Coach: true, SameProgram: true}},
			{"buddy", w.buddy, access.Relation{Buddy: true, SameProgram: true}},
			{"peer", w.peer, access.Relation{SameProgram: true}},
			{"staff", w.staff, access.Relation{SameProgram: true}},
			{"family", w.family, access.Relation{}},
			{"alien", w.alien, access.Relation{}},
			{"anonymous", access.Actor{}, access.Relation{}},
		}
		for _, c := range cases {
			got, err := RelationTo(w.ctx, d, c.viewer, w.alex.UserID)
			if err != nil || got != c.want {
				t.Errorf("%s: RelationTo = %+v, %v; want %+v", c.name, got, err, c.want)
			}
		}
		if _, err := RelationTo(w.ctx, d, w.alex, "nobody"); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("unknown member: %v", err)
		}
		// Buddies are symmetric.
		if rel, _ := RelationTo(w.ctx, d, w.alex, w.buddy.UserID); !rel.Buddy {
			t.Error("buddy pair is not symmetric")
		}
	})
}

func TestAssignCoachChecks(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		try := func(programID, member, coach string) error {
			return d.Tx(w.ctx, func(tx *db.Tx) error { return AssignCoach(w.ctx, tx, programID, member, coach) })
		}
		var verr ValidationError
		if err := try(w.prog, w.alex.UserID, w.peer.UserID); !errors.As(err, &verr) || verr.For("coach_id") == "" {
			t.Errorf("alumnus as coach: %v", err)
		}
		if err := try(w.prog, w.alien.UserID, w.coach.UserID); !errors.As(err, &verr) || verr.For("member_id") == "" {
			t.Errorf("member of another program: %v", err)
		}
		if err := d.Tx(w.ctx, func(tx *db.Tx) error { return AddBuddies(w.ctx, tx, w.prog, w.alex.UserID, w.alex.UserID) }); err == nil {
			t.Error("own buddy accepted")
		}
	})
}

func TestVisibilityOfDefaults(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		v, err := VisibilityOf(w.ctx, d, w.alex.UserID)
		if err != nil || v != DefaultVisibility {
			t.Fatalf("defaults: %+v, %v", v, err)
		}
		w.save(t, w.alex, ProfileInput{Visibility: FieldVisibility{access.VisMe, access.VisBuddy, access.VisProgram, access.VisCoach}})
		v, err = VisibilityOf(w.ctx, d, w.alex.UserID)
		if err != nil || v != (FieldVisibility{access.VisMe, access.VisBuddy, access.VisProgram, access.VisCoach}) {
			t.Fatalf("saved: %+v, %v", v, err)
		}
		if _, err := VisibilityOf(w.ctx, d, "nobody"); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("unknown member: %v", err)
		}
	})
}

func TestSaveProfileRoundTripAndValidation(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		in := ProfileInput{Pronouns: " they/them ", Bio: "<b>Hi</b>\r\nline two", City: "Duluth",
			Languages: []string{"English", " english", "", "Español"}, Interests: []string{"Hiking"},
			Pathways: []string{"SMART Recovery", "smart", "12-step"}, ContactTimes: "evenings", Hidden: true,
			Visibility: FieldVisibility{access.VisMe, access.VisCoach, access.VisBuddy, access.VisProgram}}
		p, err := SaveProfile(w.ctx, d, w.alex, in)
		if err != nil {
			t.Fatal(err)
		}
		if p.Pronouns != "they/them" || p.Bio != "<b>Hi</b>\nline two" || !p.Hidden ||
			strings.Join(p.Languages, ",") != "English,Español" || strings.Join(p.Pathways, ",") != "smart,12-step" {
			t.Errorf("saved profile = %+v", p)
		}
		// Saving again updates the row.
		in.City = "Ely"
		if p, err = SaveProfile(w.ctx, d, w.alex, in); err != nil || p.City != "Ely" {
			t.Errorf("update: %+v, %v", p, err)
		}
		bad := []struct {
			field string
			in    ProfileInput
		}{
			{"bio", ProfileInput{Bio: strings.Repeat("x", MaxBio+1)}},
			{"pronouns", ProfileInput{Pronouns: "a\x00b"}},
			{"city", ProfileInput{City: strings.Repeat("é", MaxShortText+1)}},
			{"pathways", ProfileInput{Pathways: []string{"astrology"}}},
			{"interests", ProfileInput{Interests: []string{strings.Repeat("y", MaxItemLength+1)}}},
			{"languages", ProfileInput{Languages: manyItems(MaxListItems + 1)}},
			{"vis_pathways", ProfileInput{Visibility: FieldVisibility{access.VisMe, access.VisMe, "everyone", access.VisMe}}},
		}
		for _, b := range bad {
			if b.in.Visibility == (FieldVisibility{}) {
				b.in.Visibility = DefaultVisibility
			}
			_, err := SaveProfile(w.ctx, d, w.alex, b.in)
			var verr ValidationError
			if !errors.As(err, &verr) || verr.For(b.field) == "" {
				t.Errorf("%s: error %v does not name the field", b.field, err)
			}
		}
		if _, err := SaveProfile(w.ctx, d, w.family, ProfileInput{Visibility: DefaultVisibility}); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("family saved a profile: %v", err)
		}
	})
}

func manyItems(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = "item " + strconv.Itoa(i)
	}
	return out
}

func TestSetProgramInterests(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		if err := SetProgramInterests(w.ctx, d, w.staff, []string{" Yoga", "hiking", "Hiking", "", "Art"}); err != nil {
			t.Fatal(err)
		}
		got, err := ProgramInterests(w.ctx, d, w.prog)
		if err != nil || strings.Join(got, ",") != "Art,Yoga,hiking" {
			t.Errorf("interests = %v, %v", got, err)
		}
		if err := SetProgramInterests(w.ctx, d, w.staff, []string{"Art"}); err != nil {
			t.Fatal(err)
		}
		if got, _ = ProgramInterests(w.ctx, d, w.prog); strings.Join(got, ",") != "Art" {
			t.Errorf("replaced interests = %v", got)
		}
		for _, a := range []access.Actor{w.coach, w.peer, w.family, w.alien} {
			if err := SetProgramInterests(w.ctx, d, a, []string{"Chess"}); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s changed the interests: %v", a.Role, err)
			}
		}
		if got, _ = ProgramInterests(w.ctx, d, w.other); len(got) != 0 {
			t.Errorf("other program's interests = %v", got)
		}
		var verr ValidationError
		if err := SetProgramInterests(w.ctx, d, w.staff, []string{strings.Repeat("x", MaxItemLength+1)}); !errors.As(err, &verr) || verr.For("interests") == "" {
			t.Errorf("long interest: %v", err)
		}
	})
}
