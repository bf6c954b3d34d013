package demo

import (
	"strings"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/programs"
)

// program is the demo program: a fictional alumni program of a fictional
// treatment center in Austin, Texas.
var program = programs.Settings{
	Name:     "Driftwood Recovery Alumni",
	TimeZone: "America/Chicago",
	Phone:    "(512) 759-8330",
	Address:  "1200 Barton Springs Rd, Austin, TX 78704",
	Description: `Leaving treatment is a beginning, not a finish line. The Driftwood Recovery alumni program keeps you connected to the people who walked beside you: fellow alumni who remember what those first weeks felt like, and certified peer recovery coaches who have walked this road themselves. Whatever your pathway (12-step, SMART Recovery, faith-based, medication-assisted or your own), there is a place for you here, for as long as you want it.

Every week we meet in person and online to check in, share what is working and lean on each other when it is not. Family dinners bring the people you love to the table, and milestone dinners celebrate 30 days, one year and every step in between, because every day counts. Between gatherings, your coach and your peers are a message away.

We built this program around the four things that most often break recovery after treatment: letting go of the coping tools you learned, going without social support, drifting away from the recovery community, and having nothing to fill the hours. Come to a meeting, join a circle around something you love, or simply say hello. You do not have to do this alone.`,
}

// person is one demo account.
type person struct {
	Email     string
	FirstName string
	LastName  string
	Role      access.Role
}

// named are the accounts people sign in with to try the demo, one per role.
var named = []person{
	{"admin@demo.cairn.test", "Morgan", "Ellis", access.Admin},
	{"coordinator@demo.cairn.test", "Dana", "Whitfield", access.Coordinator},
	{"coach@demo.cairn.test", "Marcus", "Bell", access.Coach},
	{"alex@demo.cairn.test", "Alex", "Rivera", access.Alumnus},
	{"family@demo.cairn.test", "Jordan", "Rivera", access.Family},
}

// alumni are the other members of the demo program, so that lists,
// rosters and reports have people in them. The names are made up.
var alumni = [][2]string{
	{"Priya", "Raman"}, {"Tomás", "Delgado"}, {"Keisha", "Freeman"}, {"Wei", "Zhang"},
	{"Hannah", "Lindqvist"}, {"Darnell", "Okafor"}, {"Sofia", "Marchetti"}, {"Ethan", "Blackfeather"},
	{"Amara", "Nwosu"}, {"Luis", "Castañeda"}, {"Grace", "Whitaker"}, {"Hiroshi", "Tanabe"},
	{"Maya", "Goldberg"}, {"Andre", "Baptiste"}, {"Fatima", "Haddad"}, {"Caleb", "Moorhouse"},
	{"Lena", "Kowalczyk"}, {"Jamal", "Pritchard"}, {"Rosa", "Villanueva"}, {"Declan", "O'Rourke"},
	{"Nadia", "Petrova"}, {"Isaiah", "Greenway"}, {"Mei", "Lin"}, {"Owen", "Castellano"},
	{"Aaliyah", "Brooks"}, {"Mateo", "Ibarra"}, {"Ingrid", "Solberg"}, {"Kwame", "Asante"},
	{"Chloe", "Duval"}, {"Ravi", "Chandrasekar"}, {"Tessa", "McAllister"}, {"Diego", "Fuentes"},
	{"Leilani", "Kahale"}, {"Samuel", "Adeyemi"}, {"Noor", "Siddiqui"}, {"Wyatt", "Holloway"},
	{"Camila", "Ortega"}, {"Bashir", "Rahimi"}, {"Josephine", "Tran"}, {"Reuben", "Abernathy"},
}

// people returns every demo account: the named ones first, then the alumni,
// whose addresses are first.last@demo.cairn.test in plain letters.
func people() []person {
	out := append([]person(nil), named...)
	for _, n := range alumni {
		out = append(out, person{
			Email:     emailLocal(n[0]) + "." + emailLocal(n[1]) + "@demo.cairn.test",
			FirstName: n[0],
			LastName:  n[1],
			Role:      access.Alumnus,
		})
	}
	return out
}

// emailLocal lowercases a name and keeps only plain letters, so that
// "Castañeda" and "O'Rourke" make usable addresses.
func emailLocal(name string) string {
	plain := map[rune]rune{'á': 'a', 'é': 'e', 'í': 'i', 'ó': 'o', 'ú': 'u', 'ñ': 'n', 'ü': 'u'}
	var b strings.Builder
	for _, c := range strings.ToLower(name) {
		if p, ok := plain[c]; ok {
			c = p
		}
		if c >= 'a' && c <= 'z' {
			b.WriteRune(c)
		}
	}
	return b.String()
}
