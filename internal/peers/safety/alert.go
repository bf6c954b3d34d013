package safety

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/notify"
)

// The words of the notification that a report is waiting. They never say
// what or who was reported, nor who reported: the notification may leave
// the site by email or text message.
const (
	AlertTitle = "A new report is waiting in the moderation queue"
	AlertBody  = "Someone asked the team to look at something. Open the moderation queue to read the report and decide what to do."
	AlertLink  = "/moderation"
)

// AlertQuiet is how long after a notification that a report is waiting
// a staff member who does not get in-app notifications is not told again.
const AlertQuiet = time.Hour

// notifyStaff tells the program's staff who work the moderation queue
// (peer coaches, coordinators and admins: access.Moderate; all of them may
// act on a report) that a new report is waiting, inside the report's
// transaction. The reporter and the reported person are left out, should
// they be staff.
//
// It does not flood: a staff member gets no new notification while the
// last one is still unread in Cairn, since the queue, not the
// notification, lists the reports, and one unread "reports are waiting"
// says it all. Once they have read it, the next new report tells them
// again (and emails them, if they chose email). For someone who turned
// in-app notifications off there is nothing to be read, so they are told
// at most once per AlertQuiet. moderation_alerts keeps each person's last
// notification.
func notifyStaff(ctx context.Context, tx *db.Tx, programID string, leaveOut ...string) error {
	rows, err := tx.Query(ctx, `SELECT u.id, a.notified_at, a.notification_id, n.id, n.read_at
		FROM users u
		LEFT JOIN moderation_alerts a ON a.user_id = u.id
		LEFT JOIN notifications n ON n.id = a.notification_id
		WHERE u.program_id = ? AND u.role IN ('coach', 'coordinator', 'admin') AND u.disabled_at IS NULL
		ORDER BY u.id`, programID)
	if err != nil {
		return fmt.Errorf("safety: alert staff: %w", err)
	}
	type staffRow struct {
		id             string
		notifiedAt     sql.NullTime
		notificationID sql.NullString
		stored         sql.NullString
		readAt         sql.NullTime
	}
	var staff []staffRow
	for rows.Next() {
		var s staffRow
		if err := rows.Scan(&s.id, &s.notifiedAt, &s.notificationID, &s.stored, &s.readAt); err != nil {
			rows.Close()
			return fmt.Errorf("safety: alert staff: %w", err)
		}
		staff = append(staff, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("safety: alert staff: %w", err)
	}
	at := now()
	for _, s := range staff {
		if contains(leaveOut, s.id) {
			continue
		}
		if s.notifiedAt.Valid {
			if s.stored.Valid && !s.readAt.Valid {
				continue // the last one is still unread
			}
			if s.notificationID.String == "" && at.Sub(s.notifiedAt.Time) < AlertQuiet {
				continue
			}
		}
		id, err := notify.Send(ctx, tx, s.id, notify.KindModerationReport, notify.Data{Title: AlertTitle, Body: AlertBody, Link: AlertLink})
		if err != nil {
			return fmt.Errorf("safety: alert staff: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO moderation_alerts (user_id, notified_at, notification_id) VALUES (?, ?, ?)
			ON CONFLICT (user_id) DO UPDATE SET notified_at = excluded.notified_at, notification_id = excluded.notification_id`,
			s.id, at, id); err != nil {
			return fmt.Errorf("safety: alert staff: %w", err)
		}
	}
	return nil
}
