package conversations

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/riverqueue/river"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/jobs"
)

// The admin page of the program's message keys: which keys exist and how
// many messages each seals (never the key material), and a rotation asked
// for there, run in the background by RotateKeyWorker with RotateKey.

// KeyInfo is one data key of a program, without its material.
type KeyInfo struct {
	ID        string
	CreatedAt time.Time
	// Active reports the key new messages are sealed with.
	Active bool
	// Messages is how many messages are sealed with it.
	Messages int
}

// Rotation is one rotation of a program's message key asked for by an
// admin.
type Rotation struct {
	ID string
	// Status is "queued", "running", "done" or "failed".
	Status string
	// RequestedBy is the display name of the admin who asked.
	RequestedBy string
	RequestedAt time.Time
	// StartedAt and FinishedAt are zero until then.
	StartedAt, FinishedAt time.Time
	// Messages is how many messages were re-encrypted.
	Messages int
	// Error says why it failed, without message contents.
	Error string
}

// Pending reports whether the rotation has yet to finish.
func (r Rotation) Pending() bool { return r.Status == "queued" || r.Status == "running" }

// KeysView is what the admin page shows.
type KeysView struct {
	// Keys are the program's keys, newest first.
	Keys []KeyInfo
	// Rotations are the latest rotations asked for, newest first.
	Rotations []Rotation
}

// Pending returns the rotation still to finish, or nil.
func (v *KeysView) Pending() *Rotation {
	for i := range v.Rotations {
		if v.Rotations[i].Pending() {
			return &v.Rotations[i]
		}
	}
	return nil
}

// rotationsShown is how many rotations the page lists.
const rotationsShown = 5

// staleRotation is how long a queued or running rotation blocks a new
// request: longer than a job may run (RotateKeyWorker's timeout) with its
// retries' waits, so that a rotation lost with a crashed job does not
// block the button for ever.
const staleRotation = 6 * time.Hour

// MessageKeys lists the actor's program's message keys, with how many
// messages each seals, and the latest rotations, for its admins
// (access.ManageMessageKeys; anyone else is access.ErrNotFound).
func MessageKeys(ctx context.Context, d *db.DB, actor access.Actor) (*KeysView, error) {
	if err := access.ManageMessageKeys(actor, actor.ProgramID); err != nil {
		return nil, err
	}
	v := &KeysView{}
	rows, err := d.Query(ctx, `SELECT k.id, k.created_at, k.active,
		(SELECT COUNT(*) FROM conversation_messages m WHERE m.key_id = k.id)
		FROM conversation_keys k WHERE k.program_id = ? ORDER BY k.created_at DESC, k.id DESC`, actor.ProgramID)
	if err != nil {
		return nil, fmt.Errorf("conversations: keys: %w", err)
	}
	for rows.Next() {
		var k KeyInfo
		if err := rows.Scan(&k.ID, &k.CreatedAt, &k.Active, &k.Messages); err != nil {
			rows.Close()
			return nil, fmt.Errorf("conversations: keys: %w", err)
		}
		v.Keys = append(v.Keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("conversations: keys: %w", err)
	}
	rows, err = d.Query(ctx, `SELECT r.id, r.status, r.requested_at, r.started_at, r.finished_at, r.messages, r.error,
		COALESCE(u.first_name, ''), COALESCE(u.last_name, ''), COALESCE(u.email, '')
		FROM conversation_key_rotations r LEFT JOIN users u ON u.id = r.requested_by
		WHERE r.program_id = ? ORDER BY r.requested_at DESC, r.id DESC LIMIT `+fmt.Sprint(rotationsShown), actor.ProgramID)
	if err != nil {
		return nil, fmt.Errorf("conversations: rotations: %w", err)
	}
	defer rows.Close()
	cutoff := now().Add(-staleRotation)
	for rows.Next() {
		var r Rotation
		var started, finished sql.NullTime
		var first, last, email string
		if err := rows.Scan(&r.ID, &r.Status, &r.RequestedAt, &started, &finished, &r.Messages, &r.Error, &first, &last, &email); err != nil {
			return nil, fmt.Errorf("conversations: rotations: %w", err)
		}
		r.StartedAt, r.FinishedAt = started.Time, finished.Time
		r.RequestedBy = "Someone no longer here"
		if email != "" {
			r.RequestedBy = displayName(first, last, email)
		}
		if r.Pending() && r.RequestedAt.Before(cutoff) {
			r.Status, r.Error = "failed", "It did not finish. Ask for a new rotation."
		}
		v.Rotations = append(v.Rotations, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("conversations: rotations: %w", err)
	}
	return v, nil
}

// RequestRotation asks for the actor's program's message key to be
// rotated, by one of its admins (anyone else is access.ErrNotFound): it
// records the request, queues a RotateKeyArgs job in the same transaction
// and audits the request ("conversations.key_rotate_request"; the rotation
// itself is audited by RotateKey). While a rotation is queued or running
// it changes nothing and returns that rotation's id.
func RequestRotation(ctx context.Context, d *db.DB, actor access.Actor) (string, error) {
	if err := access.ManageMessageKeys(actor, actor.ProgramID); err != nil {
		return "", err
	}
	var id string
	err := d.Tx(ctx, func(tx *db.Tx) error {
		at := now()
		err := tx.QueryRow(ctx, `SELECT id FROM conversation_key_rotations WHERE program_id = ? AND status IN ('queued', 'running')
			AND requested_at > ? ORDER BY requested_at DESC LIMIT 1`, actor.ProgramID, at.Add(-staleRotation)).Scan(&id)
		if err = db.Err(err); err == nil {
			return nil
		} else if !errors.Is(err, db.ErrNotFound) {
			return fmt.Errorf("conversations: request rotation: %w", err)
		}
		id = uuid.Must(uuid.NewV7()).String()
		if _, err := tx.Exec(ctx, `INSERT INTO conversation_key_rotations (id, program_id, requested_by, requested_at, status)
			VALUES (?, ?, ?, ?, 'queued')`, id, actor.ProgramID, actor.UserID, at); err != nil {
			return fmt.Errorf("conversations: request rotation: %w", err)
		}
		if err := jobs.Insert(ctx, tx, RotateKeyArgs{ProgramID: actor.ProgramID, RotationID: id}, &river.InsertOpts{MaxAttempts: rotateAttempts}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "conversations.key_rotate_request", SubjectType: "program",
			SubjectID: actor.ProgramID, Detail: map[string]string{"rotation_id": id}})
	})
	return id, err
}

// rotateAttempts is how often a rotation job runs before it is given up
// (and listed among the failed jobs).
const rotateAttempts = 3

// RotateKeyArgs is the job that rotates a program's message key.
type RotateKeyArgs struct {
	ProgramID  string `json:"program_id"`
	RotationID string `json:"rotation_id"`
}

// Kind names the job for River.
func (RotateKeyArgs) Kind() string { return "conversations_rotate_key" }

// JobProgramID implements jobs.ProgramScoped: the program's admins see a
// failed rotation among the failed jobs.
func (a RotateKeyArgs) JobProgramID() string { return a.ProgramID }

// RotateKeyWorker runs rotation jobs with RotateKey and records their
// progress for the admin page.
type RotateKeyWorker struct {
	river.WorkerDefaults[RotateKeyArgs]
	DB *db.DB
}

// NewRotateKeyWorker returns the worker of rotation jobs on d; register
// it with jobs.Register.
func NewRotateKeyWorker(d *db.DB) *RotateKeyWorker { return &RotateKeyWorker{DB: d} }

// rotateTimeout bounds one run of a rotation. It stays under
// jobs.DefaultRescueAfter, so that a long rotation is never taken for a
// crashed one and run twice at once. RotateKey commits in batches; a run
// cut short leaves every message readable, and the next attempt finishes
// the work under a newer key.
const rotateTimeout = 9 * time.Minute

// Timeout is how long one run may take.
func (w *RotateKeyWorker) Timeout(*river.Job[RotateKeyArgs]) time.Duration { return rotateTimeout }

// maxRotationError is how much of an error the page shows, in characters.
const maxRotationError = 300

// Work rotates the key and records the outcome. A message that cannot be
// decrypted (ErrUnreadable) fails the rotation without a retry, since
// trying again cannot help; other errors are retried (the rotation stays
// queued, with the error) until the last attempt.
func (w *RotateKeyWorker) Work(ctx context.Context, job *river.Job[RotateKeyArgs]) error {
	a := job.Args
	if _, err := w.DB.Exec(ctx, `UPDATE conversation_key_rotations SET status = 'running', started_at = ?, error = ''
		WHERE id = ? AND program_id = ?`, now(), a.RotationID, a.ProgramID); err != nil {
		return fmt.Errorf("conversations: rotation job: %w", err)
	}
	n, err := RotateKey(ctx, w.DB, a.ProgramID)
	status, msg := "done", ""
	if err != nil {
		status, msg = "failed", err.Error()
		if utf8.RuneCountInString(msg) > maxRotationError {
			msg = string([]rune(msg)[:maxRotationError-1]) + "…"
		}
		if !errors.Is(err, ErrUnreadable) && job.Attempt < job.MaxAttempts {
			// River runs it again: it is still pending, so that no second
			// rotation is asked for meanwhile.
			status = "queued"
		}
	}
	// The outcome is recorded even when the job's context has ended.
	rec, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if _, uerr := w.DB.Exec(rec, `UPDATE conversation_key_rotations SET status = ?, finished_at = ?, messages = messages + ?, error = ?
		WHERE id = ? AND program_id = ?`, status, now(), n, msg, a.RotationID, a.ProgramID); uerr != nil {
		return errors.Join(err, fmt.Errorf("conversations: rotation job: %w", uerr))
	}
	if errors.Is(err, ErrUnreadable) {
		return river.JobCancel(err)
	}
	return err
}
