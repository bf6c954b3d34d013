package buddies

// Choice is one option of a list on the buddy forms: Key is stored, Label
// is shown.
type Choice struct{ Key, Label string }

// Meeting preferences (both offers and requests).
const (
	MeetEither   = "either"
	MeetInPerson = "in_person"
	MeetOnline   = "online"
)

// Meetings are the ways to meet, as the forms offer them.
var Meetings = []Choice{{MeetEither, "In person or online"}, {MeetInPerson, "In person"}, {MeetOnline, "Online"}}

// Genders are the choices for a buddy's own gender; leaving it empty is
// fine too.
var Genders = []Choice{{"woman", "Woman"}, {"man", "Man"}, {"nonbinary", "Non-binary"}, {"another", "Another gender"}, {"unsaid", "Prefer not to say"}}

// WantGenders are the genders a person may ask their buddy to have; empty
// means any gender.
var WantGenders = []Choice{{"woman", "Woman"}, {"man", "Man"}, {"nonbinary", "Non-binary"}}

// LifeStages are the optional life stages.
var LifeStages = []Choice{{"student", "Student"}, {"working", "Working"}, {"parent", "Parent"}, {"between", "Between jobs"}, {"retired", "Retired"}}

// ContactTimes are when a buddy is usually free to be in touch.
var ContactTimes = []Choice{{"mornings", "Mornings"}, {"afternoons", "Afternoons"}, {"evenings", "Evenings"}, {"weekends", "Weekends"}}

// MinMonthsChoices are the minimum times in recovery a coordinator may set,
// in months (0: no minimum).
var MinMonthsChoices = []Choice{{"0", "No minimum"}, {"3", "3 months"}, {"6", "6 months"}, {"9", "9 months"},
	{"12", "1 year"}, {"18", "18 months"}, {"24", "2 years"}, {"36", "3 years"}, {"60", "5 years"}}

// label returns the label of key in list, or "" when key is not there.
func label(list []Choice, key string) string {
	for _, c := range list {
		if c.Key == key {
			return c.Label
		}
	}
	return ""
}

// Label returns the label of key in list, or key itself.
func Label(list []Choice, key string) string {
	if l := label(list, key); l != "" {
		return l
	}
	return key
}

// valid reports whether key is in list; empty is valid when optional.
func valid(list []Choice, key string, optional bool) bool {
	if key == "" {
		return optional
	}
	return label(list, key) != ""
}
