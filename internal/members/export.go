package members

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Export is everything Cairn holds about one person, as they download it
// ("my data"). Records are grouped by the table that holds them, each row
// with its columns; secrets (password and token hashes, second-factor
// secrets) and photo bytes are left out.
type Export struct {
	// Format identifies the document's shape for programs that read it.
	Format     string                      `json:"format"`
	ExportedAt time.Time                   `json:"exported_at"`
	Account    ExportAccount               `json:"account"`
	Records    map[string][]map[string]any `json:"records"`
}

// ExportAccount is the person's account.
type ExportAccount struct {
	ID        string    `json:"id"`
	Email     string    `json:"email"`
	FirstName string    `json:"first_name"`
	LastName  string    `json:"last_name"`
	Role      string    `json:"role"`
	ProgramID string    `json:"program_id"`
	Program   string    `json:"program"`
	CreatedAt time.Time `json:"created_at"`
}

// ExportFormat is the value of Export.Format.
const ExportFormat = "cairn-my-data/1"

// ExportSection is records about a person that another package reads and
// shapes itself, because a plain copy of its rows would not do: message
// bodies are encrypted, and some rows hold what only the other person may
// see. The server wiring passes the sections to ExportMine explicitly
// (see internal/mydata), so that members imports none of those packages.
type ExportSection struct {
	// Name names the section in errors.
	Name string
	// Columns are the "table.column" references to a person whose records
	// the section exports (the completeness test reads them).
	Columns []string
	// Read returns the section's records for the actor, by record name.
	Read func(ctx context.Context, q db.Querier, actor access.Actor) (map[string][]map[string]any, error)
}

// ExportMine returns everything Cairn holds about the actor: the tables of
// exportTables, then each section's records. Audited once as
// "export.self" (the fact of the export, never its content).
func ExportMine(ctx context.Context, d *db.DB, actor access.Actor, now time.Time, sections ...ExportSection) (*Export, error) {
	if err := access.ExportOwnData(actor, actor.UserID); err != nil {
		return nil, err
	}
	out := &Export{Format: ExportFormat, ExportedAt: now.UTC().Truncate(time.Second), Records: map[string][]map[string]any{}}
	a := &out.Account
	err := d.QueryRow(ctx, `SELECT u.id, u.email, u.first_name, u.last_name, u.role, u.program_id, p.name, u.created_at
		FROM users u JOIN programs p ON p.id = u.program_id WHERE u.id = ?`, actor.UserID).
		Scan(&a.ID, &a.Email, &a.FirstName, &a.LastName, &a.Role, &a.ProgramID, &a.Program, &a.CreatedAt)
	if err != nil {
		return nil, db.Err(err)
	}
	a.CreatedAt = a.CreatedAt.UTC()
	for _, t := range exportTables {
		where := ""
		args := make([]any, 0, len(t.who))
		for i, c := range t.who {
			if i > 0 {
				where += " OR "
			}
			where += c + " = ?"
			args = append(args, actor.UserID)
		}
		q := `SELECT * FROM ` + t.name + ` WHERE (` + where + `)`
		if t.where != "" {
			q += ` AND ` + t.where
		}
		if t.order != "" {
			q += ` ORDER BY ` + t.order
		}
		rows, err := ExportRows(ctx, d, q, t.omit, args...)
		if err != nil {
			return nil, fmt.Errorf("members: export %s: %w", t.name, err)
		}
		out.Records[t.name] = rows
	}
	roster, err := ExportRows(ctx, d, `SELECT * FROM roster_entries WHERE email = ? AND program_id = ?`, nil, a.Email, a.ProgramID)
	if err != nil {
		return nil, fmt.Errorf("members: export roster: %w", err)
	}
	out.Records["roster_entries"] = roster
	for _, sec := range sections {
		recs, err := sec.Read(ctx, d, actor)
		if err != nil {
			return nil, fmt.Errorf("members: export %s: %w", sec.Name, err)
		}
		for name, rows := range recs {
			if _, dup := out.Records[name]; dup {
				return nil, fmt.Errorf("members: export %s: records %q exported twice", sec.Name, name)
			}
			if rows == nil {
				rows = []map[string]any{}
			}
			out.Records[name] = rows
		}
	}
	if err := audit.RecordNow(ctx, d, actor, audit.Event{Action: "export.self", SubjectType: "user", SubjectID: actor.UserID}); err != nil {
		return nil, err
	}
	return out, nil
}

// MarshalExport renders an export as indented JSON.
func MarshalExport(e *Export) ([]byte, error) {
	return json.MarshalIndent(e, "", "  ")
}

// ExportRows runs query and returns each row as a map of its columns,
// without the omitted ones, for ExportMine and its sections. Bytes that
// are text become strings, others base64; instants are UTC.
func ExportRows(ctx context.Context, q db.Querier, query string, omit []string, args ...any) ([]map[string]any, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	skip := map[string]bool{}
	for _, c := range omit {
		skip[c] = true
	}
	out := []map[string]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		m := make(map[string]any, len(cols))
		for i, c := range cols {
			if skip[c] {
				continue
			}
			m[c] = exportValue(vals[i])
		}
		out = append(out, m)
	}
	return out, db.Err(rows.Err())
}

// exportValue makes one scanned value JSON-friendly.
func exportValue(v any) any {
	switch x := v.(type) {
	case []byte:
		if utf8.Valid(x) {
			return string(x)
		}
		return base64.StdEncoding.EncodeToString(x)
	case time.Time:
		return x.UTC()
	case sql.RawBytes:
		return string(x)
	}
	return v
}
