package members

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/audit"
	"github.com/cairn-recovery/cairn/internal/db"
)

// Limits on profile photos: the upload's size, and its pixels (checked
// before decoding, so that a small file cannot expand into a huge image).
const (
	MaxPhotoBytes  = 2 << 20
	MaxPhotoPixels = 40_000_000
	MaxPhotoSide   = 10_000
)

// ReencodePhoto checks that data is a JPEG or PNG image by its content
// (not its name or declared type), decodes it and encodes it again with
// the standard library, which drops every piece of metadata (EXIF, GPS
// location, comments). It returns the new bytes and their content type,
// or a ValidationError about the field "photo".
func ReencodePhoto(data []byte) ([]byte, string, error) {
	bad := func(msg string) ([]byte, string, error) {
		return nil, "", ValidationError{{Field: "photo", Message: msg}}
	}
	if len(data) == 0 {
		return bad("Choose a photo to upload.")
	}
	if len(data) > MaxPhotoBytes {
		return bad("The photo must be at most 2 MB.")
	}
	ct := http.DetectContentType(data)
	if ct != "image/jpeg" && ct != "image/png" {
		return bad("The photo must be a JPEG or PNG image.")
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return bad("The photo could not be read; please try another JPEG or PNG file.")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxPhotoSide || cfg.Height > MaxPhotoSide ||
		cfg.Width*cfg.Height > MaxPhotoPixels {
		return bad("The photo is too large in pixels; please use a smaller image.")
	}
	var img image.Image
	if ct == "image/png" {
		img, err = png.Decode(bytes.NewReader(data))
	} else {
		img, err = jpeg.Decode(bytes.NewReader(data))
	}
	if err != nil {
		return bad("The photo could not be read; please try another JPEG or PNG file.")
	}
	var out bytes.Buffer
	if ct == "image/png" {
		err = png.Encode(&out, img)
	} else {
		err = jpeg.Encode(&out, img, &jpeg.Options{Quality: 85})
	}
	if err != nil {
		return nil, "", fmt.Errorf("members: encode photo: %w", err)
	}
	return out.Bytes(), ct, nil
}

// SetPhoto stores data, re-encoded by ReencodePhoto, as the actor's
// profile photo, replacing any earlier one.
func SetPhoto(ctx context.Context, d *db.DB, actor access.Actor, data []byte) error {
	if err := access.UseProfiles(actor); err != nil {
		return err
	}
	clean, ct, err := ReencodePhoto(data)
	if err != nil {
		return err
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		if err := ensureProfile(ctx, tx, actor); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE profiles SET photo_id = NULL WHERE user_id = ?`, actor.UserID); err != nil {
			return fmt.Errorf("members: set photo: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM photos WHERE user_id = ?`, actor.UserID); err != nil {
			return fmt.Errorf("members: set photo: %w", err)
		}
		id := uuid.Must(uuid.NewV7()).String()
		if _, err := tx.Exec(ctx, `INSERT INTO photos (id, user_id, content_type, data, created_at) VALUES (?, ?, ?, ?, ?)`,
			id, actor.UserID, ct, clean, time.Now().UTC()); err != nil {
			return fmt.Errorf("members: set photo: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE profiles SET photo_id = ? WHERE user_id = ?`, id, actor.UserID); err != nil {
			return fmt.Errorf("members: set photo: %w", err)
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "profile.photo.set", SubjectType: "user", SubjectID: actor.UserID})
	})
}

// RemovePhoto deletes the actor's profile photo, if any.
func RemovePhoto(ctx context.Context, d *db.DB, actor access.Actor) error {
	if err := access.UseProfiles(actor); err != nil {
		return err
	}
	return d.Tx(ctx, func(tx *db.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE profiles SET photo_id = NULL WHERE user_id = ?`, actor.UserID); err != nil {
			return fmt.Errorf("members: remove photo: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM photos WHERE user_id = ?`, actor.UserID); err != nil {
			return fmt.Errorf("members: remove photo: %w", err)
		}
		return audit.Record(ctx, tx, actor, audit.Event{Action: "profile.photo.remove", SubjectType: "user", SubjectID: actor.UserID})
	})
}

// ensureProfile creates the actor's profile row with the defaults when
// there is none.
func ensureProfile(ctx context.Context, tx *db.Tx, actor access.Actor) error {
	var n int
	if err := tx.QueryRow(ctx, `SELECT COUNT(*) FROM profiles WHERE user_id = ?`, actor.UserID).Scan(&n); err != nil {
		return fmt.Errorf("members: profile: %w", err)
	}
	if n > 0 {
		return nil
	}
	return SaveProfileTx(ctx, tx, actor, actor.UserID, ProfileInput{Visibility: DefaultVisibility})
}

// Photo returns memberID's profile photo and its content type, when
// viewer may see the member; otherwise, or when there is no photo,
// db.ErrNotFound.
func Photo(ctx context.Context, q db.Querier, viewer access.Actor, memberID string) ([]byte, string, error) {
	if _, err := ViewMember(ctx, q, viewer, memberID); err != nil {
		return nil, "", err
	}
	var (
		data []byte
		ct   string
		pid  sql.NullString
	)
	if err := q.QueryRow(ctx, `SELECT photo_id FROM profiles WHERE user_id = ?`, memberID).Scan(&pid); err != nil {
		return nil, "", db.Err(err)
	}
	if !pid.Valid || pid.String == "" {
		return nil, "", db.ErrNotFound
	}
	if err := q.QueryRow(ctx, `SELECT content_type, data FROM photos WHERE id = ? AND user_id = ?`, pid.String, memberID).Scan(&ct, &data); err != nil {
		return nil, "", db.Err(err)
	}
	return data, ct, nil
}
