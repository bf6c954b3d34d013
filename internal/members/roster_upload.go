package members

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
)

// RosterUploadLifetime is how long an uploaded roster waits for its
// confirmation; older uploads are gone (deleted at the next upload).
const RosterUploadLifetime = 24 * time.Hour

// SaveRosterUpload keeps an uploaded roster file server-side between the
// preview and the confirmation, and returns its id. Only its uploader may
// open it again (LoadRosterUpload), within RosterUploadLifetime. The file
// is kept as bytes, whatever its encoding, so that the preview reports
// encoding problems itself.
func SaveRosterUpload(ctx context.Context, d *db.DB, actor access.Actor, data []byte, now time.Time) (string, error) {
	if err := access.ImportRoster(actor, actor.ProgramID); err != nil || actor.UserID == "" {
		return "", access.ErrNotFound
	}
	if len(data) > MaxRosterBytes {
		return "", &RosterIssue{Reason: fmt.Sprintf("the file is larger than %d MiB; split it into smaller files", MaxRosterBytes>>20)}
	}
	id := uuid.Must(uuid.NewV7()).String()
	at := now.UTC().Truncate(time.Microsecond)
	err := d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM roster_uploads WHERE created_at < ?`, at.Add(-RosterUploadLifetime)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO roster_uploads (id, program_id, uploaded_by, csv, created_at) VALUES (?, ?, ?, ?, ?)`,
			id, actor.ProgramID, actor.UserID, data, at)
		return err
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// LoadRosterUpload returns the file of the actor's own upload id, or
// access.ErrNotFound when it is someone else's, expired or unknown.
func LoadRosterUpload(ctx context.Context, q db.Querier, actor access.Actor, id string, now time.Time) ([]byte, error) {
	if err := access.ImportRoster(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	var data []byte
	err := q.QueryRow(ctx, `SELECT csv FROM roster_uploads WHERE id = ? AND program_id = ? AND uploaded_by = ? AND created_at >= ?`,
		id, actor.ProgramID, actor.UserID, now.UTC().Add(-RosterUploadLifetime)).Scan(&data)
	if err != nil {
		return nil, db.Err(err)
	}
	return data, nil
}

// ImportRosterUpload imports the actor's upload id as ImportRoster does,
// and removes the upload in the same transaction once imported.
func ImportRosterUpload(ctx context.Context, d *db.DB, inv Inviter, actor access.Actor, id string, now time.Time) (*RosterPlan, error) {
	if err := access.ImportRoster(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	var plan *RosterPlan
	err := d.Tx(ctx, func(tx *db.Tx) error {
		data, err := LoadRosterUpload(ctx, tx, actor, id, now)
		if err != nil {
			return err
		}
		plan, err = importRosterTx(ctx, tx, inv, actor, data, now)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM roster_uploads WHERE id = ?`, id)
		return err
	})
	return importResult(plan, err)
}
