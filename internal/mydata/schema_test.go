package mydata

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/members"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

// personColumns are references to a person that the schema does not
// declare as foreign keys (the rows outlive the person, or name them
// without a constraint). The test counts them with the foreign keys.
var personColumns = []string{"reports.author_id"}

// userReferences reads from the live schema every "table.column" that is a
// foreign key to users(id).
func userReferences(t *testing.T, d *db.DB) map[string]bool {
	t.Helper()
	ctx := context.Background()
	query := `SELECT m.name, f."from" FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f
		WHERE m.type = 'table' AND f."table" = 'users'`
	if d.Engine() == db.Postgres {
		query = `SELECT kcu.table_name, kcu.column_name
			FROM information_schema.referential_constraints rc
			JOIN information_schema.key_column_usage kcu
				ON kcu.constraint_schema = rc.constraint_schema AND kcu.constraint_name = rc.constraint_name
			JOIN information_schema.constraint_column_usage ccu
				ON ccu.constraint_schema = rc.unique_constraint_schema AND ccu.constraint_name = rc.unique_constraint_name
			WHERE ccu.table_name = 'users' AND kcu.table_schema = current_schema()`
	}
	rows, err := d.Query(ctx, query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		out[table+"."+col] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestEveryReferenceToAPersonIsExportedOrExplained keeps "my data"
// complete: a table that refers to users (a later feature's new table
// included) must be exported, by members' table list or a section, or be
// listed in NotExported with its reason.
func TestEveryReferenceToAPersonIsExportedOrExplained(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		refs := userReferences(t, d)
		if len(refs) < 40 || !refs["circle_posts.author_id"] || !refs["blocks.blocked_id"] {
			t.Fatalf("schema read found too little: %v", refs)
		}
		for _, c := range personColumns {
			refs[c] = true
		}
		covered := map[string]string{}
		for _, c := range members.ExportedColumns() {
			covered[c] = "members"
		}
		for _, s := range Sections {
			for _, c := range s.Columns {
				if by, dup := covered[c]; dup {
					t.Errorf("%s is exported twice (%s and %s)", c, by, s.Name)
				}
				covered[c] = s.Name
			}
		}
		for c, why := range NotExported {
			if by, dup := covered[c]; dup {
				t.Errorf("%s is exported (%s) and listed as not exported", c, by)
			}
			if strings.TrimSpace(why) == "" {
				t.Errorf("%s is not exported without a reason", c)
			}
			covered[c] = "not exported"
		}
		var missing, stale []string
		for c := range refs {
			if covered[c] == "" {
				missing = append(missing, c)
			}
		}
		for c := range covered {
			if !refs[c] {
				stale = append(stale, c)
			}
		}
		sort.Strings(missing)
		sort.Strings(stale)
		for _, c := range missing {
			t.Errorf("%s refers to a person but is neither exported nor in NotExported with a reason", c)
		}
		for _, c := range stale {
			t.Errorf("%s is exported or explained but the schema has no such reference to users", c)
		}
	})
}
