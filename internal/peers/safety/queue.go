package safety

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// QueueItem is one piece of reported content in the moderation queue,
// with every open report about it.
type QueueItem struct {
	// ReportID is the oldest open report about the content: the queue
	// links to it.
	ReportID   string
	Kind       string
	ContentID  string
	AuthorID   string
	AuthorName string
	Excerpt    string
	Hidden     bool
	// Count is the number of open reports; Reasons their distinct labels.
	Count   int
	Reasons []string
	FirstAt time.Time
	LastAt  time.Time
}

// MaxQueue caps the moderation queue.
const MaxQueue = 200

// reportRow is a stored report.
type reportRow struct {
	ID, ProgramID, Kind, ContentID, AuthorID, ReporterID, Reason, Note, Status, ClosedBy string
	CreatedAt                                                                            time.Time
	ClosedAt                                                                             *time.Time
}

const reportColumns = `id, program_id, kind, content_id, author_id, reporter_id, reason, note, status, closed_by, created_at, closed_at`

func scanReport(row interface{ Scan(...any) error }) (*reportRow, error) {
	var r reportRow
	var closed sql.NullTime
	if err := row.Scan(&r.ID, &r.ProgramID, &r.Kind, &r.ContentID, &r.AuthorID, &r.ReporterID, &r.Reason, &r.Note,
		&r.Status, &r.ClosedBy, &r.CreatedAt, &closed); err != nil {
		return nil, err
	}
	if closed.Valid {
		t := closed.Time
		r.ClosedAt = &t
	}
	return &r, nil
}

// Queue lists the open reports of actor's program grouped by content,
// oldest first, for staff (anyone else is access.ErrNotFound). Showing the
// excerpts is a staff read of members' content, so it is audited.
func Queue(ctx context.Context, d *db.DB, actor access.Actor) ([]QueueItem, error) {
	if err := access.ModerateReport(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	var out []QueueItem
	err := d.Tx(ctx, func(tx *db.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+reportColumns+` FROM reports WHERE program_id = ? AND status = 'open'
			ORDER BY created_at, id`, actor.ProgramID)
		if err != nil {
			return fmt.Errorf("safety: queue: %w", err)
		}
		byContent := map[string]*QueueItem{}
		var order []string
		for rows.Next() {
			r, err := scanReport(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("safety: queue: %w", err)
			}
			key := r.Kind + "\x00" + r.ContentID
			it := byContent[key]
			if it == nil {
				it = &QueueItem{ReportID: r.ID, Kind: r.Kind, ContentID: r.ContentID, AuthorID: r.AuthorID, FirstAt: r.CreatedAt}
				byContent[key] = it
				order = append(order, key)
			}
			it.Count++
			it.LastAt = r.CreatedAt
			if l := ReasonLabel(r.Reason); !contains(it.Reasons, l) {
				it.Reasons = append(it.Reasons, l)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("safety: queue: %w", err)
		}
		if len(order) > MaxQueue {
			order = order[:MaxQueue]
		}
		for _, key := range order {
			it := byContent[key]
			if err := fillContent(ctx, tx, it); err != nil {
				return err
			}
			out = append(out, *it)
		}
		sort.SliceStable(out, func(i, j int) bool { return out[i].FirstAt.Before(out[j].FirstAt) })
		return audit.Record(ctx, tx, actor, audit.Event{Action: "safety.queue.view", SubjectType: "program", SubjectID: actor.ProgramID,
			Detail: map[string]string{"items": fmt.Sprint(len(out))}})
	})
	return out, err
}

// fillContent loads the excerpt and author of a queue item. Content whose
// feature is not installed, or that was deleted, says so.
func fillContent(ctx context.Context, q db.Querier, it *QueueItem) error {
	if k, ok := lookupKind(it.Kind); ok {
		c, err := k.Load(ctx, q, it.ContentID)
		switch {
		case err == nil:
			it.Excerpt, it.Hidden = c.Excerpt, c.Hidden
			if c.AuthorID != "" {
				it.AuthorID = c.AuthorID
			}
		case errors.Is(db.Err(err), db.ErrNotFound):
			it.Excerpt = "(This was deleted.)"
		default:
			return err
		}
	} else {
		it.Excerpt = "(This cannot be shown here.)"
	}
	if it.AuthorID != "" {
		p, err := loadPersonRow(ctx, q, it.AuthorID)
		if err == nil {
			it.AuthorName = p.DisplayName()
		} else if !errors.Is(err, db.ErrNotFound) {
			return err
		}
	}
	return nil
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// MaxClosed is how many closed reports the queue lists.
const MaxClosed = 20

// RecentlyClosed lists the program's most recently closed reports, newest
// first, so that staff can go back to one (to show content again or lift a
// suspension). Like Queue it is for staff only, and audited.
func RecentlyClosed(ctx context.Context, d *db.DB, actor access.Actor) ([]ClosedItem, error) {
	if err := access.ModerateReport(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	var out []ClosedItem
	err := d.Tx(ctx, func(tx *db.Tx) error {
		rows, err := tx.Query(ctx, `SELECT `+reportColumns+` FROM reports WHERE program_id = ? AND status <> 'open'
			ORDER BY closed_at DESC, id LIMIT ?`, actor.ProgramID, MaxClosed)
		if err != nil {
			return fmt.Errorf("safety: closed: %w", err)
		}
		var rs []*reportRow
		for rows.Next() {
			r, err := scanReport(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("safety: closed: %w", err)
			}
			rs = append(rs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("safety: closed: %w", err)
		}
		for _, r := range rs {
			it := ClosedItem{QueueItem: QueueItem{ReportID: r.ID, Kind: r.Kind, ContentID: r.ContentID, AuthorID: r.AuthorID,
				FirstAt: r.CreatedAt, Count: 1, Reasons: []string{ReasonLabel(r.Reason)}}, Status: r.Status}
			if r.ClosedAt != nil {
				it.ClosedAt = *r.ClosedAt
			}
			if err := fillContent(ctx, tx, &it.QueueItem); err != nil {
				return err
			}
			out = append(out, it)
		}
		if len(out) == 0 {
			return nil
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "safety.queue.view", SubjectType: "program", SubjectID: actor.ProgramID,
			Detail: map[string]string{"closed": fmt.Sprint(len(out))}})
	})
	return out, err
}

// ClosedItem is a closed report in the queue's list of recent ones.
type ClosedItem struct {
	QueueItem
	// Status is "actioned" or "dismissed".
	Status   string
	ClosedAt time.Time
}
