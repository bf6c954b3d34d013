package safety

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Detail is one report with everything staff need to act on it.
type Detail struct {
	// Item is the reported content with its open reports counted.
	Item QueueItem
	// Report is the report the page is about.
	Report ReportView
	// Reports are all reports about the same content, oldest first.
	Reports []ReportView
	// Link is where the content lives ("" when nowhere).
	Link string
	// CanHide reports whether the kind can be hidden.
	CanHide bool
	// CanSuspend reports whether actor may suspend the author.
	CanSuspend bool
	// Suspension is the author's current suspension, if any.
	Suspension *Suspension
	// History is every action taken on these reports, oldest first.
	History []Action
}

// ReportView is a report as staff see it. Only staff ever see the
// reporter.
type ReportView struct {
	ID           string
	Reason       string
	ReasonLabel  string
	Note         string
	ReporterName string
	Status       string
	CreatedAt    time.Time
}

// Action is one entry of a report's history (the audit trail).
type Action struct {
	At        time.Time
	ActorName string
	Action    string
	Label     string
	ReportID  string
}

// actionLabels are the words the history shows for audit actions.
var actionLabels = map[string]string{
	"safety.report":        "Report filed",
	"safety.report.view":   "Report read",
	"safety.hide":          "Content hidden",
	"safety.unhide":        "Content shown again",
	"safety.warn":          "Author sent a kind warning",
	"safety.suspend":       "Account suspended",
	"safety.suspend.lift":  "Suspension lifted",
	"safety.report.close":  "Report dismissed",
	"safety.report.reopen": "Report reopened",
	// Recorded by the conversations package when staff read the
	// conversation around a reported message.
	"safety.conversation_read": "Conversation read around the message",
}

// loadReport reads a report and checks that actor may moderate it.
func loadReport(ctx context.Context, q db.Querier, actor access.Actor, id string) (*reportRow, error) {
	if err := access.Moderate(actor); err != nil {
		return nil, err
	}
	r, err := scanReport(q.QueryRow(ctx, `SELECT `+reportColumns+` FROM reports WHERE id = ?`, id))
	if err != nil {
		if err = db.Err(err); errors.Is(err, db.ErrNotFound) {
			return nil, access.ErrNotFound
		}
		return nil, fmt.Errorf("safety: report: %w", err)
	}
	if err := access.ModerateReport(actor, r.ProgramID); err != nil {
		return nil, err
	}
	return r, nil
}

// ReportDetail returns report id with the content it is about, every report
// on the same content, the author's suspension and the history of actions,
// for staff of the report's program (anyone else is access.ErrNotFound).
// The read is audited.
func ReportDetail(ctx context.Context, d *db.DB, actor access.Actor, id string) (*Detail, error) {
	var out Detail
	err := d.Tx(ctx, func(tx *db.Tx) error {
		r, err := loadReport(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		out.Item = QueueItem{ReportID: r.ID, Kind: r.Kind, ContentID: r.ContentID, AuthorID: r.AuthorID, FirstAt: r.CreatedAt}
		if err := fillContent(ctx, tx, &out.Item); err != nil {
			return err
		}
		if k, ok := lookupKind(r.Kind); ok {
			out.CanHide = k.SetHidden != nil
			if c, err := k.Load(ctx, tx, r.ContentID); err == nil {
				out.Link = c.Link
			}
		}
		rows, err := tx.Query(ctx, `SELECT `+reportColumns+` FROM reports WHERE program_id = ? AND kind = ? AND content_id = ?
			ORDER BY created_at, id`, r.ProgramID, r.Kind, r.ContentID)
		if err != nil {
			return fmt.Errorf("safety: report: %w", err)
		}
		var all []*reportRow
		for rows.Next() {
			x, err := scanReport(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("safety: report: %w", err)
			}
			all = append(all, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("safety: report: %w", err)
		}
		names := map[string]string{}
		name := func(userID string) (string, error) {
			if userID == "" {
				return "Cairn", nil
			}
			if n, ok := names[userID]; ok {
				return n, nil
			}
			p, err := loadPersonRow(ctx, tx, userID)
			if errors.Is(err, db.ErrNotFound) {
				names[userID] = "Someone no longer here"
				return names[userID], nil
			}
			if err != nil {
				return "", err
			}
			names[userID] = p.DisplayName()
			return names[userID], nil
		}
		ids := make([]any, 0, len(all))
		out.Item.Count, out.Item.Reasons = 0, nil
		for _, x := range all {
			n, err := name(x.ReporterID)
			if err != nil {
				return err
			}
			v := ReportView{ID: x.ID, Reason: x.Reason, ReasonLabel: ReasonLabel(x.Reason), Note: x.Note,
				ReporterName: n, Status: x.Status, CreatedAt: x.CreatedAt}
			out.Reports = append(out.Reports, v)
			if x.ID == r.ID {
				out.Report = v
			}
			if x.Status == "open" {
				out.Item.Count++
				if l := ReasonLabel(x.Reason); !contains(out.Item.Reasons, l) {
					out.Item.Reasons = append(out.Item.Reasons, l)
				}
			}
			ids = append(ids, x.ID)
		}
		hist, err := tx.Query(ctx, `SELECT at, actor_id, action, subject_id FROM audit_log
			WHERE subject_type = 'report' AND action <> 'safety.report.view'
			AND subject_id IN (`+db.Placeholders(len(ids))+`) ORDER BY seq`, ids...)
		if err != nil {
			return fmt.Errorf("safety: history: %w", err)
		}
		var acts []Action
		var actors []string
		for hist.Next() {
			var a Action
			var actorID string
			if err := hist.Scan(&a.At, &actorID, &a.Action, &a.ReportID); err != nil {
				hist.Close()
				return fmt.Errorf("safety: history: %w", err)
			}
			a.Label = actionLabels[a.Action]
			if a.Label == "" {
				a.Label = a.Action
			}
			acts = append(acts, a)
			actors = append(actors, actorID)
		}
		hist.Close()
		if err := hist.Err(); err != nil {
			return fmt.Errorf("safety: history: %w", err)
		}
		for i := range acts {
			if acts[i].ActorName, err = name(actors[i]); err != nil {
				return err
			}
		}
		out.History = acts
		if out.Item.AuthorID != "" {
			if p, err := loadPersonRow(ctx, tx, out.Item.AuthorID); err == nil {
				out.CanSuspend = access.SuspendAccount(actor, p.ProgramID, p.ID, p.Role) == nil
			}
			if out.Suspension, err = activeSuspension(ctx, tx, out.Item.AuthorID); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "safety.report.view", SubjectType: "report", SubjectID: r.ID,
			Detail: map[string]string{"kind": r.Kind, "content_id": r.ContentID}})
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}
