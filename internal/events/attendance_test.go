package events

import (
	"strings"
	"testing"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func attendanceCount(t *testing.T, w *rsWorld, e *Event, o *Occurrence) int {
	t.Helper()
	var n int
	if err := w.d.QueryRow(w.ctx, `SELECT COUNT(*) FROM event_attendance WHERE event_id = ? AND occurrence = ?`,
		e.ID, o.ID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestCheckInByStaff: staff check people in once (idempotent), undo, add
// walk-ins and find people by name; members can do none of it.
func TestCheckInByStaff(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		rsClock(t, rsNow)
		w := rsNewWorld(t, d)
		e, o := w.event(t, rsDinner(0))
		w.rsvp(t, w.alex, e, o, "yes", 2, 0)
		w.rsvp(t, w.bo, e, o, "maybe", 1, 0)
		w.rsvp(t, w.pat, e, o, "no", 1, 0)

		list, err := CheckInList(w.ctx, d, w.coach, e.ID, o.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[0].DisplayName != "Alex Rivera" || list[0].RSVPState != RSVPConfirmed ||
			list[1].DisplayName != "Bo Lind" || list[1].AttendanceID != "" {
			t.Fatalf("list: %+v", list)
		}

		id, err := CheckIn(w.ctx, d, w.coach, e.ID, o.ID, w.alex.UserID)
		if err != nil || id == "" {
			t.Fatalf("check in: %q %v", id, err)
		}
		again, err := CheckIn(w.ctx, d, w.coord, e.ID, o.ID, w.alex.UserID)
		if err != nil || again != id {
			t.Fatalf("second check-in: %q (first %q) %v", again, id, err)
		}
		if n := attendanceCount(t, w, e, o); n != 1 {
			t.Fatalf("%d attendance rows", n)
		}
		// Pat said no but came anyway; Fran came without an RSVP.
		if _, err := CheckIn(w.ctx, d, w.coach, e.ID, o.ID, w.pat.UserID); err != nil {
			t.Fatal(err)
		}
		found, err := CheckInList(w.ctx, d, w.coach, e.ID, o.ID, "  fran ")
		if err != nil || len(found) != 1 || found[0].UserID != w.family.UserID || found[0].RSVPState != "" {
			t.Fatalf("search fran: %+v %v", found, err)
		}
		if _, err := CheckIn(w.ctx, d, w.coach, e.ID, o.ID, found[0].UserID); err != nil {
			t.Fatal(err)
		}
		// Walk-ins.
		for _, bad := range []struct{ name, text string }{{"   ", "required"}, {strings.Repeat("x", 101), "at most 100"}} {
			_, err := AddWalkIn(w.ctx, d, w.coach, e.ID, o.ID, bad.name)
			wantField(t, err, "name", bad.text)
		}
		walkIn, err := AddWalkIn(w.ctx, d, w.coach, e.ID, o.ID, " Chris   from the shelter ")
		if err != nil {
			t.Fatal(err)
		}
		list, err = CheckInList(w.ctx, d, w.coach, e.ID, o.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, r := range list {
			mark := ""
			if r.AttendanceID != "" {
				mark = "✓"
			}
			if r.WalkIn {
				mark += "w"
			}
			names = append(names, r.DisplayName+mark)
		}
		if got := strings.Join(names, ", "); got != "Alex Rivera✓, Bo Lind, Chris from the shelter✓w, Fran Rivera✓, Pat Quinn✓" {
			t.Fatalf("list: %s", got)
		}
		if found, _ := CheckInList(w.ctx, d, w.coach, e.ID, o.ID, "SHELTER"); len(found) != 1 || !found[0].WalkIn {
			t.Fatalf("search walk-in: %+v", found)
		}
		if found, _ := CheckInList(w.ctx, d, w.coach, e.ID, o.ID, "%"); len(found) != 0 {
			t.Fatalf("search %%: %+v", found)
		}

		// Undo.
		if err := UndoCheckIn(w.ctx, d, w.coach, e.ID, o.ID, id); err != nil {
			t.Fatal(err)
		}
		wantNotFound(t, UndoCheckIn(w.ctx, d, w.coach, e.ID, o.ID, id), "undo twice")
		if err := UndoCheckIn(w.ctx, d, w.coach, e.ID, o.ID, walkIn); err != nil {
			t.Fatal(err)
		}
		if n := attendanceCount(t, w, e, o); n != 2 {
			t.Fatalf("%d attendance rows after undo, want 2", n)
		}
		if got := w.auditActions(t, e); got["events.checkin"] != 3 || got["events.checkin_undo"] != 2 || got["events.walk_in"] != 1 {
			t.Fatalf("audit: %v", got)
		}

		// Members and other programs: not found.
		_, err = CheckIn(w.ctx, d, w.alex, e.ID, o.ID, w.alex.UserID)
		wantNotFound(t, err, "member checking in by hand")
		_, err = CheckInList(w.ctx, d, w.alex, e.ID, o.ID, "")
		wantNotFound(t, err, "member reading the check-in list")
		_, err = AddWalkIn(w.ctx, d, w.alex, e.ID, o.ID, "Chris")
		wantNotFound(t, err, "member adding a walk-in")
		wantNotFound(t, UndoCheckIn(w.ctx, d, w.alex, e.ID, o.ID, id), "member undoing")
		_, err = CheckIn(w.ctx, d, w.coach, e.ID, o.ID, w.stranger.UserID)
		wantNotFound(t, err, "checking in another program's member")
		_, err = CheckInCode(w.ctx, d, w.alex, e.ID, o.ID)
		wantNotFound(t, err, "member reading the code")

		// A cancelled occurrence takes no attendance.
		weekly, _ := w.event(t, Input{Kind: WeeklyMeeting, Title: "Tuesday Alumni Meeting", Start: "2026-12-08T18:30",
			DurationMinutes: 90, RRule: "FREQ=WEEKLY;BYDAY=TU", Audience: Alumni})
		if err := CancelOccurrence(w.ctx, d, w.coord, weekly.ID, "2026-12-15", ""); err != nil {
			t.Fatal(err)
		}
		_, err = CheckIn(w.ctx, d, w.coach, weekly.ID, "2026-12-15", w.alex.UserID)
		wantField(t, err, "occurrence", "cancelled")
	})
}

// TestCheckInWithCode: the code works from 30 minutes before the start to
// the end, for members who may see the event; checking in twice is fine.
func TestCheckInWithCode(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		rsClock(t, rsNow)
		w := rsNewWorld(t, d)
		e, o := w.event(t, Input{Kind: WeeklyMeeting, Title: "Tuesday Alumni Meeting", Start: "2026-12-01T18:30",
			DurationMinutes: 90, RRule: "FREQ=WEEKLY;BYDAY=TU", Audience: Alumni})
		code, err := CheckInCode(w.ctx, d, w.coach, e.ID, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(code) != CodeLength || strings.Trim(code, codeAlphabet) != "" || strings.ContainsAny(code, "01IOL") {
			t.Fatalf("code %q", code)
		}
		if again, _ := CheckInCode(w.ctx, d, w.coord, e.ID, o.ID); again != code {
			t.Fatalf("code changed: %q then %q", code, again)
		}
		if next, _ := CheckInCode(w.ctx, d, w.coord, e.ID, "2026-12-08"); next == code {
			t.Fatalf("next week has the same code %q", code)
		}
		start := o.Start // 18:30 Chicago
		typed := strings.ToLower(code[:3]) + " " + code[3:]

		rsClock(t, start.Add(-31*time.Minute))
		_, err = CheckInWithCode(w.ctx, d, w.alex, typed)
		wantField(t, err, "code", "30 minutes before")

		rsClock(t, start.Add(-30*time.Minute))
		in, err := CheckInWithCode(w.ctx, d, w.alex, typed)
		if err != nil || in.Event.ID != e.ID || in.Occurrence.ID != o.ID || in.AttendanceID == "" {
			t.Fatalf("in the window: %+v, %v", in, err)
		}
		rsClock(t, start.Add(45*time.Minute))
		if again, err := CheckInWithCode(w.ctx, d, w.alex, code); err != nil || again.AttendanceID != in.AttendanceID {
			t.Fatalf("twice: %+v, %v (want the same attendance %s)", again, err, in.AttendanceID)
		}
		if _, err := CheckInWithCode(w.ctx, d, w.bo, code); err != nil {
			t.Fatal(err)
		}
		if n := attendanceCount(t, w, e, o); n != 2 {
			t.Fatalf("%d attendance rows, want 2", n)
		}
		wrong := "222222"
		if wrong == code {
			wrong = "333333"
		}
		_, err = CheckInWithCode(w.ctx, d, w.pat, wrong)
		wantField(t, err, "code", "doesn't match")
		for _, bad := range []string{"", "12345", "ABCDEFG", "ABC0EF", "<script>"} {
			_, err = CheckInWithCode(w.ctx, d, w.pat, bad)
			wantField(t, err, "code", "letters and numbers")
		}
		// Not for family (alumni-only meeting), nor another program.
		_, err = CheckInWithCode(w.ctx, d, w.family, code)
		wantField(t, err, "code", "doesn't match")
		_, err = CheckInWithCode(w.ctx, d, w.stranger, code)
		wantField(t, err, "code", "doesn't match")

		rsClock(t, start.Add(90*time.Minute)) // the end
		if _, err := CheckInWithCode(w.ctx, d, w.pat, code); err != nil {
			t.Fatalf("at the end: %v", err)
		}
		rsClock(t, start.Add(91*time.Minute))
		_, err = CheckInWithCode(w.ctx, d, w.coach, code)
		wantField(t, err, "code", "doesn't match")
		if n := attendanceCount(t, w, e, o); n != 3 {
			t.Fatalf("%d attendance rows, want 3", n)
		}

		// History: the member's own, staff anyone's, nobody else's.
		hist, err := AttendanceHistory(w.ctx, d, w.alex, w.alex.UserID, 0)
		if err != nil || len(hist) != 1 || hist[0].EventID != e.ID || hist[0].Occurrence != o.ID ||
			hist[0].Method != MethodCode || hist[0].Title != "Tuesday Alumni Meeting" || !hist[0].Start.Equal(start) || hist[0].Kind != WeeklyMeeting {
			t.Fatalf("alex's history: %+v %v", hist, err)
		}
		if hist, err := AttendanceHistory(w.ctx, d, w.coach, w.bo.UserID, 10); err != nil || len(hist) != 1 {
			t.Fatalf("coach reads bo's history: %+v %v", hist, err)
		}
		_, err = AttendanceHistory(w.ctx, d, w.bo, w.alex.UserID, 10)
		wantNotFound(t, err, "a peer's history")
		_, err = AttendanceHistory(w.ctx, d, w.stranger, w.alex.UserID, 10)
		wantNotFound(t, err, "another program's history")
		_, err = AttendanceHistory(w.ctx, d, w.coach, "nobody", 10)
		wantNotFound(t, err, "unknown member")
		if got := w.auditActions(t, e)["events.checkin"]; got != 3 {
			t.Fatalf("%d check-in audit entries, want 3", got)
		}
	})
}

// TestCheckInCodeShape checks codes over many occurrences: six characters
// from the alphabet, spread over it.
func TestCheckInCodeShape(t *testing.T) {
	seen := map[byte]bool{}
	codes := map[string]bool{}
	for i := 0; i < 2000; i++ {
		c := checkInCode("event", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format("2006-01-02"))
		if len(c) != CodeLength {
			t.Fatalf("code %q", c)
		}
		for j := 0; j < len(c); j++ {
			if !strings.Contains(codeAlphabet, c[j:j+1]) {
				t.Fatalf("code %q has %q", c, c[j])
			}
			seen[c[j]] = true
		}
		codes[c] = true
	}
	if len(seen) != len(codeAlphabet) || len(codeAlphabet) != 31 {
		t.Fatalf("%d of %d characters used", len(seen), len(codeAlphabet))
	}
	if len(codes) < 1999 {
		t.Fatalf("only %d distinct codes of 2000", len(codes))
	}
	// The key comes from the secret key: the same secret gives the same
	// codes (on every instance), another secret other codes.
	saved := checkInKey.Load()
	t.Cleanup(func() { checkInKey.Store(saved) })
	SetCheckInKey([]byte("0123456789abcdef0123456789abcdef"))
	a := checkInCode("event", "2026-12-01")
	SetCheckInKey([]byte("0123456789abcdef0123456789abcdef"))
	if b := checkInCode("event", "2026-12-01"); b != a {
		t.Fatalf("same secret, codes %q and %q", a, b)
	}
	SetCheckInKey([]byte("another secret key of 32 bytes!!"))
	if b := checkInCode("event", "2026-12-01"); b == a {
		t.Fatalf("another secret, same code %q", a)
	}
	if n, ok := normalizeCode(" ab-c 2de "); !ok || n != "ABC2DE" {
		t.Fatalf("normalize: %q %v", n, ok)
	}
}
