package members

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Date is a civil date: a day on the calendar, with no time and no zone.
// Recovery dates and milestones are civil dates, kept in the program's
// time zone, and stored as TEXT 'YYYY-MM-DD' on both engines (so that
// text order is date order). The zero Date means "no date".
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ErrBadDate is the error of a date that is not a real YYYY-MM-DD day.
var ErrBadDate = fmt.Errorf("must be a date written as YYYY-MM-DD, such as 2025-03-14")

// ParseDate reads a date written as YYYY-MM-DD. Anything else, including
// days that do not exist such as 2025-02-30, is ErrBadDate.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, ErrBadDate
	}
	num := func(p string) (int, bool) {
		n := 0
		for _, c := range p {
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(s[:4])
	m, ok2 := num(s[5:7])
	d, ok3 := num(s[8:])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return Date{}, ErrBadDate
	}
	return Date{y, time.Month(m), d}, nil
}

// MustDate is ParseDate for literals in tests and demo data; it panics on
// a bad literal, which is a programming mistake.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic("members: bad date literal " + s)
	}
	return d
}

// String writes the date as YYYY-MM-DD, or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Label writes the date for people, such as "Mar 14, 2025".
func (d Date) Label() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%s %d, %d", d.Month.String()[:3], d.Day, d.Year)
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// Value stores the date as its YYYY-MM-DD text (NULL for the zero Date).
func (d Date) Value() (driver.Value, error) {
	if d.IsZero() {
		return nil, nil
	}
	return d.String(), nil
}

// Scan reads a date stored as text; NULL gives the zero Date.
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*d = Date{}
		return nil
	case string:
		p, err := ParseDate(v)
		*d = p
		return err
	case []byte:
		p, err := ParseDate(string(v))
		*d = p
		return err
	}
	return fmt.Errorf("members: cannot scan %T into a Date", src)
}

// Today is the calendar day that it is at now in loc (nil means UTC).
func Today(loc *time.Location, now time.Time) Date {
	if loc == nil {
		loc = time.UTC
	}
	return DateOf(now.In(loc))
}

// DateOf is the calendar day of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// In returns the instant that the date begins (midnight) in loc.
func (d Date) In(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns the date n days later (earlier for negative n).
func (d Date) AddDays(n int) Date { return fromDays(d.days() + n) }

// AddMonths returns the same day n months later, clamped to the last day
// of a shorter month: 31 August + 6 months is the last day of February,
// and 29 February + 12 months is 28 February in a common year.
func (d Date) AddMonths(n int) Date {
	m := int(d.Month) - 1 + n
	y := d.Year + floorDiv(m, 12)
	m = m - floorDiv(m, 12)*12 + 1
	day := d.Day
	if last := daysIn(y, time.Month(m)); day > last {
		day = last
	}
	return Date{y, time.Month(m), day}
}

// AddYears returns the same day n years later: AddMonths(12n).
func (d Date) AddYears(n int) Date { return d.AddMonths(12 * n) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	a, b := d.days(), e.days()
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// DaysUntil returns the number of days from d to e (negative when e is
// earlier).
func (d Date) DaysUntil(e Date) int { return e.days() - d.days() }

// Span is a calendar length: whole years, then months, then days.
type Span struct{ Years, Months, Days int }

// SpanBetween returns the calendar length from start to end: the most
// whole months m with start.AddMonths(m) not after end, then the days
// left over. It is the zero Span when end is not after start.
func SpanBetween(start, end Date) Span {
	if !end.After(start) {
		return Span{}
	}
	m := (end.Year-start.Year)*12 + int(end.Month) - int(start.Month)
	for m > 0 && start.AddMonths(m).After(end) {
		m--
	}
	return Span{Years: m / 12, Months: m % 12, Days: start.AddMonths(m).DaysUntil(end)}
}

// days is the number of days since 1970-01-01 (the proleptic Gregorian
// calendar; after H. Hinnant's days_from_civil).
func (d Date) days() int {
	y, m := d.Year, int(d.Month)
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d.Day - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// fromDays is the inverse of days.
func fromDays(z int) Date {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	day := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return Date{y, time.Month(m), day}
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// daysIn is the number of days of month m of year y.
func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if isLeap(y) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}
