package circles

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/live"
	"github.com/cairn-recovery/cairn/internal/peers/safety"
	"github.com/cairn-recovery/cairn/internal/programs"
	"github.com/cairn-recovery/cairn/internal/testkit"
	"github.com/google/uuid"
)

// world is a program with people of every role and one of another program.
type world struct {
	ctx                               context.Context
	d                                 *db.DB
	prog                              string
	alex, pat, bo, fran, coach, coord access.Actor
	alien                             access.Actor
}

func addUser(t testing.TB, w *world, programID string, role access.Role, first string) access.Actor {
	t.Helper()
	id := uuid.Must(uuid.NewV7()).String()
	now := time.Now().UTC()
	if _, err := w.d.Exec(w.ctx, `INSERT INTO users (id, program_id, email, first_name, last_name, role, created_at, updated_at)
		VALUES (?, ?, ?, ?, 'Tester', ?, ?, ?)`, id, programID, strings.ToLower(first)+"-"+id[len(id)-8:]+"@example.test",
		first, string(role), now, now); err != nil {
		t.Fatalf("add user: %v", err)
	}
	return access.Actor{UserID: id, ProgramID: programID, Role: role}
}

func newWorld(t testing.TB, d *db.DB) *world {
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
	w := &world{ctx: ctx, d: d, prog: p1.ID}
	w.alex = addUser(t, w, p1.ID, access.Alumnus, "Alex")
	w.pat = addUser(t, w, p1.ID, access.Alumnus, "Pat")
	w.bo = addUser(t, w, p1.ID, access.Alumnus, "Bo")
	w.fran = addUser(t, w, p1.ID, access.Family, "Fran")
	w.coach = addUser(t, w, p1.ID, access.Coach, "Casey")
	w.coord = addUser(t, w, p1.ID, access.Coordinator, "Sam")
	w.alien = addUser(t, w, p2.ID, access.Alumnus, "Ola")
	return w
}

func (w *world) circle(t *testing.T, kind, name, policy string) *Circle {
	t.Helper()
	c, err := Create(w.ctx, w.d, w.coord, Input{Kind: kind, Name: name, JoinPolicy: policy, Interest: strings.ToLower(name)})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func (w *world) join(t *testing.T, a access.Actor, id, want string) {
	t.Helper()
	got, err := Join(w.ctx, w.d, a, id)
	if err != nil || got != want {
		t.Fatalf("join = %q, %v; want %q", got, err, want)
	}
}

func TestCreateValidatesAndOnlyStaff(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		for _, a := range []access.Actor{w.alex, w.fran, w.coach, w.alien, {}} {
			if _, err := Create(w.ctx, d, a, Input{Kind: "interest", Name: "X", JoinPolicy: "open"}); !errors.Is(err, access.ErrNotFound) {
				t.Errorf("%s created a circle: %v", a.Role, err)
			}
		}
		var ve ValidationError
		_, err := Create(w.ctx, d, w.coord, Input{Kind: "club", Name: " ", JoinPolicy: "maybe", Description: "a\x00b"})
		if !errors.As(err, &ve) || ve.For("kind") == "" || ve.For("name") == "" || ve.For("join_policy") == "" || ve.For("description") == "" {
			t.Errorf("bad input: %v", err)
		}
		c := w.circle(t, KindInterest, "Hiking", JoinOpen)
		if err := Update(w.ctx, d, w.coord, c.ID, Input{Kind: KindInterest, Name: "Hiking & walks", JoinPolicy: JoinRequest}); err != nil {
			t.Fatal(err)
		}
		if err := Update(w.ctx, d, w.alex, c.ID, Input{Kind: KindInterest, Name: "Mine", JoinPolicy: JoinOpen}); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("alumnus edited: %v", err)
		}
		got, err := Get(w.ctx, d, w.alex, c.ID)
		if err != nil || got.Name != "Hiking & walks" || got.Open() {
			t.Errorf("after update = %+v, %v", got, err)
		}
	})
}

func TestVisibilityByKind(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		hike := w.circle(t, KindInterest, "Hiking", JoinOpen)
		fam := w.circle(t, KindFamily, "Family circle", JoinOpen)
		cohort := w.circle(t, KindCohort, "Class of March 2025", JoinRequest)
		names := func(a access.Actor) string {
			list, err := List(w.ctx, d, a)
			if err != nil {
				t.Fatal(err)
			}
			var s []string
			for _, c := range list {
				s = append(s, c.Name)
			}
			return strings.Join(s, ",")
		}
		if got := names(w.alex); got != "Class of March 2025,Hiking" {
			t.Errorf("alumnus sees %q", got)
		}
		if got := names(w.fran); got != "Family circle" {
			t.Errorf("family sees %q", got)
		}
		if got := names(w.coach); got != "Class of March 2025,Family circle,Hiking" {
			t.Errorf("coach sees %q", got)
		}
		if got := names(w.alien); got != "" {
			t.Errorf("other program sees %q", got)
		}
		if _, err := Get(w.ctx, d, w.alex, fam.ID); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("alumnus opened the family circle: %v", err)
		}
		if _, err := Join(w.ctx, d, w.fran, hike.ID); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("family joined an alumni circle: %v", err)
		}
		w.join(t, w.fran, fam.ID, "member")
		// Open circles can be read before joining; by-request ones cannot.
		if _, err := Posts(w.ctx, d, w.alex, hike.ID, ""); err != nil {
			t.Errorf("read open circle: %v", err)
		}
		if _, err := Posts(w.ctx, d, w.alex, cohort.ID, ""); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("read by-request circle without joining: %v", err)
		}
	})
}

func TestJoinRequestApproveLeave(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.circle(t, KindCohort, "Class of March 2025", JoinRequest)
		w.join(t, w.alex, c.ID, "requested")
		w.join(t, w.alex, c.ID, "requested") // again: no change
		var told int
		if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = ? AND link = ?`, w.coord.UserID,
			"/circles/"+c.ID+"/people").Scan(&told); err != nil || told != 1 {
			t.Errorf("coordinator told %d times, %v", told, err)
		}
		if _, _, err := CreatePost(w.ctx, d, w.alex, c.ID, "Hello"); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("posted while requested: %v", err)
		}
		if err := Answer(w.ctx, d, w.pat, c.ID, w.alex.UserID, true); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("non-moderator approved: %v", err)
		}
		people, err := People(w.ctx, d, w.coach, c.ID)
		if err != nil || len(people) != 1 || people[0].State != "requested" {
			t.Fatalf("people = %+v, %v", people, err)
		}
		if err := Answer(w.ctx, d, w.coach, c.ID, w.alex.UserID, true); err != nil {
			t.Fatal(err)
		}
		got, _ := Get(w.ctx, d, w.alex, c.ID)
		if !got.Member() || got.Members != 1 {
			t.Errorf("after approval = %+v", got)
		}
		if _, _, err := CreatePost(w.ctx, d, w.alex, c.ID, "Hello"); err != nil {
			t.Errorf("member could not post: %v", err)
		}
		// A chosen moderator answers requests; a declined request is gone.
		if err := SetModerator(w.ctx, d, w.coach, c.ID, w.alex.UserID, true); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("coach chose a moderator: %v", err)
		}
		var ve ValidationError
		if err := SetModerator(w.ctx, d, w.coord, c.ID, w.pat.UserID, true); !errors.As(err, &ve) {
			t.Errorf("non-member made moderator: %v", err)
		}
		if err := SetModerator(w.ctx, d, w.coord, c.ID, w.alex.UserID, true); err != nil {
			t.Fatal(err)
		}
		w.join(t, w.pat, c.ID, "requested")
		if err := Answer(w.ctx, d, w.alex, c.ID, w.pat.UserID, false); err != nil {
			t.Fatal(err)
		}
		if got, _ := Get(w.ctx, d, w.pat, c.ID); got.State != "" {
			t.Errorf("declined state = %q", got.State)
		}
		if err := Leave(w.ctx, d, w.alex, c.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := Get(w.ctx, d, w.alex, c.ID); got.State != "" || got.Members != 0 {
			t.Errorf("after leave = %+v", got)
		}
		var n int
		if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM audit_log WHERE subject_id = ? AND action LIKE 'circle.%'`, c.ID).Scan(&n); err != nil || n < 7 {
			t.Errorf("audit entries = %d, %v", n, err)
		}
	})
}

func TestPostsCountsAndPinOrder(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.circle(t, KindInterest, "Hiking", JoinOpen)
		w.join(t, w.alex, c.ID, "member")
		w.join(t, w.pat, c.ID, "member")
		base := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
		var ids []string
		for i := 0; i < 25; i++ {
			clock = func() time.Time { return base.Add(time.Duration(i) * time.Minute) }
			id, _, err := CreatePost(w.ctx, d, w.alex, c.ID, "Post "+string(rune('A'+i)))
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, id)
		}
		clock = time.Now
		// Comments and reactions on the oldest post, which is then pinned.
		for _, a := range []access.Actor{w.alex, w.pat, w.pat} {
			if _, _, err := AddComment(w.ctx, d, a, c.ID, ids[0], "Nice one"); err != nil {
				t.Fatal(err)
			}
		}
		for _, r := range []struct {
			a    access.Actor
			kind string
		}{{w.alex, "heart"}, {w.pat, "heart"}, {w.pat, "thanks"}, {w.pat, "celebrate"}, {w.pat, "celebrate"}} {
			if _, err := React(w.ctx, d, r.a, c.ID, ids[0], r.kind); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := React(w.ctx, d, w.pat, c.ID, ids[0], "angry"); err == nil {
			t.Error("unknown reaction accepted")
		}
		if err := PinPost(w.ctx, d, w.alex, c.ID, ids[0], true); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("member pinned: %v", err)
		}
		if err := PinPost(w.ctx, d, w.coach, c.ID, ids[0], true); err != nil {
			t.Fatal(err)
		}
		page, err := Posts(w.ctx, d, w.pat, c.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Posts) != PageSize || page.Next == "" {
			t.Fatalf("first page: %d posts, next %q", len(page.Posts), page.Next)
		}
		first := page.Posts[0]
		if first.ID != ids[0] || !first.Pinned || first.Comments != 3 || first.Reactions["heart"] != 2 ||
			first.Reactions["thanks"] != 1 || first.Reactions["celebrate"] != 0 || !first.Mine["heart"] || !first.Mine["thanks"] || first.Mine["strength"] {
			t.Errorf("pinned post = %+v", first)
		}
		if page.Posts[1].ID != ids[24] || page.Posts[2].ID != ids[23] {
			t.Errorf("order after pinned: %s, %s", page.Posts[1].Body, page.Posts[2].Body)
		}
		next, err := Posts(w.ctx, d, w.pat, c.ID, page.Next)
		if err != nil {
			t.Fatal(err)
		}
		if len(next.Posts) != 5 || next.Next != "" || next.Posts[0].ID != ids[5] || next.Posts[4].ID != ids[1] {
			t.Errorf("second page: %d posts, next %q", len(next.Posts), next.Next)
		}
		if _, err := Posts(w.ctx, d, w.pat, c.ID, "not-a-cursor!"); err == nil {
			t.Error("bad cursor accepted")
		}
		// Authors edit and delete their own; others cannot.
		if _, err := EditPost(w.ctx, d, w.pat, c.ID, ids[1], "Mine now"); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("edited another's post: %v", err)
		}
		if _, err := EditPost(w.ctx, d, w.alex, c.ID, ids[1], "Edited"); err != nil {
			t.Fatal(err)
		}
		if err := DeletePost(w.ctx, d, w.pat, c.ID, ids[1]); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("deleted another's post: %v", err)
		}
		if err := DeletePost(w.ctx, d, w.alex, c.ID, ids[1]); err != nil {
			t.Fatal(err)
		}
		if _, _, err := GetPost(w.ctx, d, w.alex, c.ID, ids[1]); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("deleted post still there: %v", err)
		}
		var ve ValidationError
		if _, _, err := CreatePost(w.ctx, d, w.alex, c.ID, strings.Repeat("a", MaxPostLen+1)); !errors.As(err, &ve) || ve.For("body") == "" {
			t.Errorf("long post: %v", err)
		}
		if _, _, err := AddComment(w.ctx, d, w.alex, c.ID, ids[0], strings.Repeat("a", MaxCommentLen+1)); !errors.As(err, &ve) {
			t.Errorf("long comment: %v", err)
		}
		cid, _, err := AddComment(w.ctx, d, w.pat, c.ID, ids[0], "Frist!")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := EditComment(w.ctx, d, w.alex, c.ID, ids[0], cid, "Mine now"); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("edited another's comment: %v", err)
		}
		if _, err := EditComment(w.ctx, d, w.pat, c.ID, ids[0], cid, " "); !errors.As(err, &ve) {
			t.Errorf("empty edit: %v", err)
		}
		if _, err := EditComment(w.ctx, d, w.pat, c.ID, ids[0], cid, "First!"); err != nil {
			t.Fatal(err)
		}
		if list, _ := Comments(w.ctx, d, w.pat, c.ID, ids[0]); list[len(list)-1].Body != "First!" || list[len(list)-1].EditedAt.IsZero() {
			t.Errorf("edited comment = %+v", list[len(list)-1])
		}
	})
}

func TestBlocksHideBothWaysAndModeratorHides(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.circle(t, KindInterest, "Cooking", JoinOpen)
		for _, a := range []access.Actor{w.alex, w.pat, w.bo} {
			w.join(t, a, c.ID, "member")
		}
		alexPost, _, _ := CreatePost(w.ctx, d, w.alex, c.ID, "From Alex")
		patPost, _, _ := CreatePost(w.ctx, d, w.pat, c.ID, "From Pat")
		if _, _, err := AddComment(w.ctx, d, w.pat, c.ID, alexPost, "Pat replies"); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Exec(w.ctx, `INSERT INTO blocks (blocker_id, blocked_id, program_id, created_at) VALUES (?, ?, ?, ?)`,
			w.alex.UserID, w.pat.UserID, w.prog, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		for _, pair := range [][2]access.Actor{{w.alex, w.pat}, {w.pat, w.alex}} {
			page, err := Posts(w.ctx, d, pair[0], c.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Posts {
				if p.AuthorID == pair[1].UserID {
					t.Errorf("%s sees a post of someone blocked", pair[0].UserID)
				}
				if p.ID == alexPost && pair[0] == w.alex && p.Comments != 0 {
					t.Errorf("blocked comment counted: %d", p.Comments)
				}
			}
		}
		if _, _, err := GetPost(w.ctx, d, w.alex, c.ID, patPost); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("opened blocked person's post: %v", err)
		}
		if list, err := Comments(w.ctx, d, w.alex, c.ID, alexPost); err != nil || len(list) != 0 {
			t.Errorf("comments seen by blocker = %d, %v", len(list), err)
		}
		if list, err := Comments(w.ctx, d, w.bo, c.ID, alexPost); err != nil || len(list) != 1 {
			t.Errorf("comments seen by others = %d, %v", len(list), err)
		}
		// A moderator hides a post: others see it as removed, moderators still read it.
		if err := HidePost(w.ctx, d, w.coach, c.ID, alexPost, true); err != nil {
			t.Fatal(err)
		}
		_, p, err := GetPost(w.ctx, d, w.bo, c.ID, alexPost)
		if err != nil || !p.Hidden || p.Shown() || p.Body != "" {
			t.Errorf("hidden post for a member = %+v, %v", p, err)
		}
		_, p, err = GetPost(w.ctx, d, w.coach, c.ID, alexPost)
		if err != nil || !p.Shown() || p.Body != "From Alex" {
			t.Errorf("hidden post for staff = %+v, %v", p, err)
		}
	})
}

func TestSafetyKindsAndLiveFanOut(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.circle(t, KindInterest, "Art", JoinRequest)
		w.join(t, w.alex, c.ID, "requested")
		if err := Answer(w.ctx, d, w.coord, c.ID, w.alex.UserID, true); err != nil {
			t.Fatal(err)
		}
		w.join(t, w.pat, c.ID, "requested")
		if err := Answer(w.ctx, d, w.coord, c.ID, w.pat.UserID, true); err != nil {
			t.Fatal(err)
		}
		hub := live.NewHub(d, nil)
		hctx, stop := context.WithCancel(w.ctx)
		defer stop()
		go func() { _ = hub.Run(hctx) }()
		select {
		case <-hub.Ready():
		case <-time.After(10 * time.Second):
			t.Fatal("hub not ready")
		}
		events, unsub := hub.Subscribe(w.pat.UserID)
		defer unsub()
		postID, _, err := CreatePost(w.ctx, d, w.alex, c.ID, "A new drawing")
		if err != nil {
			t.Fatal(err)
		}
		select {
		case ev := <-events:
			if ev.Type != "circle_post" || !strings.Contains(string(ev.Data), postID) {
				t.Errorf("event = %+v", ev)
			}
		case <-time.After(5 * time.Second):
			t.Error("no live event")
		}
		commentID, _, err := AddComment(w.ctx, d, w.pat, c.ID, postID, "Lovely")
		if err != nil {
			t.Fatal(err)
		}
		post := kindNamed(t, "post")
		content, err := post.Load(w.ctx, d, postID)
		if err != nil || content.AuthorID != w.alex.UserID || content.ProgramID != w.prog || !strings.Contains(content.Link, postID) {
			t.Errorf("post content = %+v, %v", content, err)
		}
		if err := post.Visible(w.ctx, d, w.pat, postID); err != nil {
			t.Errorf("member cannot see: %v", err)
		}
		if err := post.Visible(w.ctx, d, w.bo, postID); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("non-member of by-request circle sees: %v", err)
		}
		if err := d.Tx(w.ctx, func(tx *db.Tx) error { return post.SetHidden(w.ctx, tx, postID, true) }); err != nil {
			t.Fatal(err)
		}
		if content, _ := post.Load(w.ctx, d, postID); !content.Hidden {
			t.Error("post not hidden")
		}
		comment := kindNamed(t, "comment")
		if err := comment.Visible(w.ctx, d, w.alex, commentID); err != nil {
			t.Errorf("comment not visible: %v", err)
		}
		if err := d.Tx(w.ctx, func(tx *db.Tx) error { return comment.SetHidden(w.ctx, tx, commentID, true) }); err != nil {
			t.Fatal(err)
		}
		list, err := Comments(w.ctx, d, w.alex, c.ID, postID)
		if err != nil || len(list) != 1 || list[0].Shown() {
			t.Errorf("hidden comment = %+v, %v", list, err)
		}
	})
}

func TestSuggestByInterestThenSize(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		hike := w.circle(t, KindInterest, "Hiking", JoinOpen)
		cook := w.circle(t, KindInterest, "Cooking", JoinOpen)
		art := w.circle(t, KindInterest, "Art", JoinRequest)
		fit := w.circle(t, KindInterest, "Fitness", JoinOpen)
		w.circle(t, KindFamily, "Family circle", JoinOpen)
		w.join(t, w.pat, cook.ID, "member")
		w.join(t, w.bo, cook.ID, "member")
		w.join(t, w.pat, art.ID, "requested")
		w.join(t, w.alex, fit.ID, "member")
		if _, err := d.Exec(w.ctx, `INSERT INTO profiles (user_id, program_id, interests, updated_at) VALUES (?, ?, ?, ?)`,
			w.alex.UserID, w.prog, `["Hiking","Reading"]`, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		got, err := Suggest(w.ctx, d, w.alex)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 || got[0].Circle.ID != hike.ID || got[0].Reason != "Because you like hiking" ||
			got[1].Circle.ID != cook.ID || got[1].Reason != "" || got[2].Circle.ID != art.ID {
			for _, s := range got {
				t.Logf("%s %q", s.Circle.Name, s.Reason)
			}
			t.Error("suggestions out of order")
		}
		if got, _ := Suggest(w.ctx, d, w.coach); len(got) != 0 {
			t.Errorf("staff got suggestions: %d", len(got))
		}
	})
}

func TestCursorParsing(t *testing.T) {
	c := cursor{Pinned: true, At: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC), ID: "abc"}
	got, err := parseCursor(c.String())
	if err != nil || got.Pinned != c.Pinned || !got.At.Equal(c.At) || got.ID != c.ID {
		t.Errorf("round trip = %+v, %v", got, err)
	}
	for _, bad := range []string{"%%%", "MXwxMnw", "Mnx4fGE", strings.Repeat("A", 300)} {
		if _, err := parseCursor(bad); err == nil {
			t.Errorf("parsed %q", bad)
		}
	}
}

func FuzzParseCursor(f *testing.F) {
	f.Add("")
	f.Add(cursor{At: time.Unix(1700000000, 0), ID: "x"}.String())
	f.Add("MXwtMXx4")
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseCursor(s)
		if err == nil && c != nil {
			if again, err := parseCursor(c.String()); err != nil || again.ID != c.ID {
				t.Errorf("round trip of %q failed", s)
			}
		}
	})
}

// kindNamed returns the safety kind this package registered as name.
func kindNamed(t *testing.T, name string) safety.Kind {
	t.Helper()
	k, ok := registered[name]
	if !ok {
		t.Fatalf("kind %q not registered", name)
	}
	return k
}

func TestCrisisLanguageIsFlaggedAndSaved(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		c := w.circle(t, KindInterest, "Running", JoinOpen)
		w.join(t, w.alex, c.ID, "member")
		postID, flagged, err := CreatePost(w.ctx, d, w.alex, c.ID, "Some days I want to die")
		if err != nil || !flagged {
			t.Fatalf("post: flagged %v, %v", flagged, err)
		}
		if _, p, err := GetPost(w.ctx, d, w.alex, c.ID, postID); err != nil || p.Body != "Some days I want to die" {
			t.Errorf("crisis post not saved as typed: %v", err)
		}
		if _, flagged, err := AddComment(w.ctx, d, w.alex, c.ID, postID, "I want to die"); err != nil || !flagged {
			t.Errorf("comment: flagged %v, %v", flagged, err)
		}
		if _, flagged, err := CreatePost(w.ctx, d, w.alex, c.ID, "A lovely run today"); err != nil || flagged {
			t.Errorf("plain post: flagged %v, %v", flagged, err)
		}
		var n int
		if err := d.QueryRow(w.ctx, `SELECT COUNT(*) FROM crisis_flags WHERE user_id = ? AND source_kind IN ('post', 'comment')`,
			w.alex.UserID).Scan(&n); err != nil || n != 2 {
			t.Errorf("crisis flags = %d, %v", n, err)
		}
	})
}
