package members

import (
	"testing"
	"testing/quick"
	"time"
)

func TestParseDate(t *testing.T) {
	for _, s := range []string{"2025-03-14", "2024-02-29", "0001-01-01", "9999-12-31"} {
		d, err := ParseDate(s)
		if err != nil || d.String() != s {
			t.Errorf("ParseDate(%q) = %v, %v", s, d, err)
		}
	}
	for _, s := range []string{"", "2025-3-14", "2025-02-30", "2023-02-29", "2025-13-01", "2025-00-10", "0000-01-01",
		"2025/03/14", "２０２５-03-14", "2025-03-1x", " 2025-03-14", "+025-03-14"} {
		if _, err := ParseDate(s); err == nil {
			t.Errorf("ParseDate(%q) accepted", s)
		}
	}
}

func TestAddMonthsClamps(t *testing.T) {
	for _, c := range []struct {
		start string
		n     int
		want  string
	}{
		{"2025-08-31", 6, "2026-02-28"},
		{"2023-08-31", 6, "2024-02-29"},
		{"2024-02-29", 12, "2025-02-28"},
		{"2024-02-29", 48, "2028-02-29"},
		{"2025-01-31", 1, "2025-02-28"},
		{"2025-01-31", 3, "2025-04-30"},
		{"2025-03-31", -1, "2025-02-28"},
		{"2025-12-15", 1, "2026-01-15"},
		{"2025-01-15", -13, "2023-12-15"},
	} {
		if got := MustDate(c.start).AddMonths(c.n).String(); got != c.want {
			t.Errorf("%s + %d months = %s, want %s", c.start, c.n, got, c.want)
		}
	}
	if got := MustDate("2024-02-29").AddYears(1).String(); got != "2025-02-28" {
		t.Errorf("29 Feb + 1 year = %s", got)
	}
}

// TestDaysMatchesTime checks the day arithmetic against package time.
func TestDaysMatchesTime(t *testing.T) {
	f := func(n int32) bool {
		k := int(n % 1_000_000)
		tt := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, k)
		d := fromDays(k)
		return d == DateOf(tt) && d.days() == k && MustDate("1970-01-01").AddDays(k) == d
	}
	if err := quick.Check(f, &quick.Config{MaxCount: 5000}); err != nil {
		t.Error(err)
	}
}

func TestTodayInProgramZone(t *testing.T) {
	chicago, err := time.LoadLocation("America/Chicago")
	if err != nil {
		t.Fatal(err)
	}
	// 05:30 UTC on 2 March is still 1 March (23:30) in Chicago.
	now := time.Date(2024, 3, 2, 5, 30, 0, 0, time.UTC)
	if got := Today(chicago, now).String(); got != "2024-03-01" {
		t.Errorf("Today in Chicago = %s", got)
	}
	if got := Today(time.UTC, now).String(); got != "2024-03-02" {
		t.Errorf("Today in UTC = %s", got)
	}
	// Midnight exactly belongs to the new day.
	if got := Today(chicago, time.Date(2024, 3, 2, 6, 0, 0, 0, time.UTC)).String(); got != "2024-03-02" {
		t.Errorf("Today at Chicago midnight = %s", got)
	}
}

func TestSpanBetween(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want Span
	}{
		{"2024-02-29", "2025-02-28", Span{1, 0, 0}},
		{"2025-03-14", "2025-03-14", Span{}},
		{"2025-01-31", "2025-03-01", Span{0, 1, 1}},
		{"2020-05-10", "2025-08-09", Span{5, 2, 30}},
		{"2025-03-14", "2025-03-01", Span{}},
	} {
		if got := SpanBetween(MustDate(c.a), MustDate(c.b)); got != c.want {
			t.Errorf("SpanBetween(%s, %s) = %+v, want %+v", c.a, c.b, got, c.want)
		}
	}
}

func TestDateScanValue(t *testing.T) {
	var d Date
	if err := d.Scan("2025-03-14"); err != nil || d != MustDate("2025-03-14") {
		t.Errorf("Scan string: %v %v", d, err)
	}
	if err := d.Scan([]byte("2024-02-29")); err != nil || d.String() != "2024-02-29" {
		t.Errorf("Scan bytes: %v %v", d, err)
	}
	if err := d.Scan(nil); err != nil || !d.IsZero() {
		t.Errorf("Scan nil: %v %v", d, err)
	}
	if err := d.Scan(42); err == nil {
		t.Error("Scan int accepted")
	}
	if v, _ := (Date{}).Value(); v != nil {
		t.Errorf("zero Value = %v", v)
	}
	if MustDate("2025-03-14").Label() != "Mar 14, 2025" {
		t.Error(MustDate("2025-03-14").Label())
	}
}
