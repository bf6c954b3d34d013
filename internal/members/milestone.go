package members

import (
	"fmt"
	"strconv"
)

// Unit is the unit of one step of a milestone schedule.
type Unit string

// The units a schedule step may count in.
const (
	Hours  Unit = "hours"
	Days   Unit = "days"
	Months Unit = "months"
	Years  Unit = "years"
)

// Step is one entry of a program's milestone schedule, such as
// "90 days" or "18 months".
type Step struct {
	Label  string
	Unit   Unit
	Amount int
}

// DateFrom returns the day the step falls on for a recovery that began on
// start. Hours count from the start of the recovery date, so 24 hours is
// the next day; a part of a day rounds up to the next day.
func (s Step) DateFrom(start Date) Date {
	switch s.Unit {
	case Hours:
		return start.AddDays((s.Amount + 23) / 24)
	case Days:
		return start.AddDays(s.Amount)
	case Months:
		return start.AddMonths(s.Amount)
	case Years:
		return start.AddYears(s.Amount)
	}
	return start
}

// Schedule is a program's list of milestones, in order. After its last
// step, a milestone falls on every anniversary ("2 years", "3 years", …).
type Schedule []Step

// DefaultSchedule is used by programs that have not set their own: 24
// hours, 30, 60 and 90 days, 6 and 9 months, 1 year, 18 months, then
// every year.
var DefaultSchedule = Schedule{
	{"24 hours", Hours, 24},
	{"30 days", Days, 30},
	{"60 days", Days, 60},
	{"90 days", Days, 90},
	{"6 months", Months, 6},
	{"9 months", Months, 9},
	{"1 year", Years, 1},
	{"18 months", Months, 18},
}

// maxSteps bounds the length of a schedule.
const maxSteps = 40

// Validate checks the schedule: at least one step, each with a label, a
// known unit and a positive amount (at most 100 years), and the steps in
// strictly increasing order for every possible recovery date. Its error
// is a ValidationError naming the step, such as "steps[2].amount".
func (s Schedule) Validate() error {
	if len(s) == 0 {
		return fieldErr("steps", "A schedule needs at least one milestone.")
	}
	if len(s) > maxSteps {
		return fieldErr("steps", "A schedule has at most 40 milestones.")
	}
	for i, st := range s {
		f := "steps[" + strconv.Itoa(i) + "]"
		if st.Label == "" || len(st.Label) > 60 {
			return fieldErr(f+".label", "Give each milestone a name of at most 60 characters.")
		}
		switch st.Unit {
		case Hours, Days, Months, Years:
		default:
			return fieldErr(f+".unit", "Choose hours, days, months or years.")
		}
		if st.Amount < 1 || st.Amount > 876600/st.Unit.hoursIn() {
			return fieldErr(f+".amount", "Must be a whole number above 0, at most 100 years.")
		}
	}
	// Every start date of a 400-year cycle would be exact; the 4-year
	// leap cycle around two century years covers month ends and 29 Feb.
	for _, base := range []Date{{1999, 1, 1}, {2099, 1, 1}} {
		for k := 0; k < 1461; k++ {
			start := base.AddDays(k)
			for i := 1; i < len(s); i++ {
				if !s[i].DateFrom(start).After(s[i-1].DateFrom(start)) {
					return fieldErr("steps["+strconv.Itoa(i)+"]", fmt.Sprintf("%q must come after %q.", s[i].Label, s[i-1].Label))
				}
			}
		}
	}
	return nil
}

// hoursIn is a rough size of one unit, used only to bound amounts.
func (u Unit) hoursIn() int {
	switch u {
	case Days:
		return 24
	case Months:
		return 24 * 31
	case Years:
		return 24 * 366
	}
	return 1
}

// Milestone is one milestone of one recovery period.
type Milestone struct {
	Label string
	Date  Date
}

// tailStart is the first whole year of the "every year" tail: the first
// anniversary strictly after the last step (for any start date).
func (s Schedule) tailStart(start Date) int {
	last := start
	if len(s) > 0 {
		last = s[len(s)-1].DateFrom(start)
	}
	n := last.Year - start.Year
	if n < 1 {
		n = 1
	}
	for !start.AddYears(n).After(last) {
		n++
	}
	return n
}

// yearLabel names the n-th anniversary.
func yearLabel(n int) string {
	if n == 1 {
		return "1 year"
	}
	return strconv.Itoa(n) + " years"
}

// Between returns the milestones of a recovery that began on start whose
// dates fall from from to to (both included), in order.
func (s Schedule) Between(start, from, to Date) []Milestone {
	var out []Milestone
	if to.Before(from) || to.Before(start) {
		return nil
	}
	for _, st := range s {
		d := st.DateFrom(start)
		if d.After(to) {
			return out
		}
		if !d.Before(from) {
			out = append(out, Milestone{st.Label, d})
		}
	}
	n := s.tailStart(start)
	// Jump close to the window: an anniversary before from's year cannot
	// be in it.
	if skip := from.Year - start.Year - 1; skip > n {
		n = skip
	}
	for ; ; n++ {
		d := start.AddYears(n)
		if d.After(to) {
			return out
		}
		if !d.Before(from) {
			out = append(out, Milestone{yearLabel(n), d})
		}
	}
}

// Reached returns every milestone of a recovery that began on start up to
// and including today.
func (s Schedule) Reached(start, today Date) []Milestone {
	return s.Between(start, start, today)
}

// Next returns the first milestone after today of a recovery that began
// on start.
func (s Schedule) Next(start, today Date) Milestone {
	for _, st := range s {
		if d := st.DateFrom(start); d.After(today) {
			return Milestone{st.Label, d}
		}
	}
	n := s.tailStart(start)
	if skip := today.Year - start.Year - 1; skip > n {
		n = skip
	}
	for {
		if d := start.AddYears(n); d.After(today) {
			return Milestone{yearLabel(n), d}
		}
		n++
	}
}

// fieldErr is a ValidationError about one field.
func fieldErr(field, message string) error {
	return ValidationError{{Field: field, Message: message}}
}
