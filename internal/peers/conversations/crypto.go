package conversations

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"

	"github.com/google/uuid"

	"github.com/cairn-recovery/cairn/internal/db"
)

// Encryption at rest. Each program has random 256-bit data keys, stored
// only wrapped (AES-256-GCM) under the key-encryption key, which is derived
// with HKDF-SHA256 from the installation's secret key. A message body is
// sealed with AES-256-GCM under the program's active data key, with a
// random 96-bit nonce and the conversation and message ids as additional
// data, so that a body moved to another row no longer opens.

// kekInfo is the HKDF context of the key-encryption key.
const kekInfo = "cairn conversations key-encryption key v1"

var (
	keyMu sync.RWMutex
	// kek wraps the data keys. Until SetKey it is random (tests, tools
	// that never read messages).
	kek []byte
	// dataKeys caches unwrapped data keys by key id.
	dataKeys = map[string]cipher.AEAD{}
)

func init() {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	kek = k
}

// SetKey derives the key-encryption key from the installation's secret
// key. The application calls it once at start, before serving, so that
// every instance reads the same messages.
func SetKey(secret []byte) {
	k, err := hkdf.Key(sha256.New, secret, nil, kekInfo, 32)
	if err != nil {
		panic(fmt.Sprintf("conversations: derive key: %v", err)) // only for a length HKDF cannot give
	}
	keyMu.Lock()
	defer keyMu.Unlock()
	kek = k
	dataKeys = map[string]cipher.AEAD{}
}

func newGCM(key []byte) (cipher.AEAD, error) {
	b, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(b)
}

// wrapAD binds a wrapped data key to its id and program.
func wrapAD(programID, keyID string) []byte {
	return []byte("cairn conversation key\x00" + programID + "\x00" + keyID)
}

// messageAD binds a sealed body to its conversation and message.
func messageAD(convID, msgID string) []byte {
	return []byte("cairn message v1\x00" + convID + "\x00" + msgID)
}

// newDataKey makes a random data key and returns its id and wrapped form.
func newDataKey(programID string) (string, []byte, error) {
	id := uuid.Must(uuid.NewV7()).String()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return "", nil, fmt.Errorf("conversations: new key: %w", err)
	}
	keyMu.RLock()
	w, err := newGCM(kek)
	keyMu.RUnlock()
	if err != nil {
		return "", nil, fmt.Errorf("conversations: new key: %w", err)
	}
	nonce := make([]byte, w.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return "", nil, fmt.Errorf("conversations: new key: %w", err)
	}
	return id, append(nonce, w.Seal(nil, nonce, key, wrapAD(programID, id))...), nil
}

// unwrap opens a wrapped data key.
func unwrap(programID, keyID string, wrapped []byte) (cipher.AEAD, error) {
	keyMu.RLock()
	w, err := newGCM(kek)
	keyMu.RUnlock()
	if err != nil {
		return nil, err
	}
	if len(wrapped) < w.NonceSize() {
		return nil, ErrUnreadable
	}
	key, err := w.Open(nil, wrapped[:w.NonceSize()], wrapped[w.NonceSize():], wrapAD(programID, keyID))
	if err != nil {
		return nil, ErrUnreadable
	}
	return newGCM(key)
}

// keyByID returns the data key keyID, from the cache or the store.
func keyByID(ctx context.Context, q db.Querier, keyID string) (cipher.AEAD, error) {
	keyMu.RLock()
	a, ok := dataKeys[keyID]
	keyMu.RUnlock()
	if ok {
		return a, nil
	}
	var programID string
	var wrapped []byte
	err := q.QueryRow(ctx, `SELECT program_id, wrapped FROM conversation_keys WHERE id = ?`, keyID).Scan(&programID, &wrapped)
	if err = db.Err(err); err != nil {
		if errors.Is(err, db.ErrNotFound) {
			return nil, ErrUnreadable
		}
		return nil, fmt.Errorf("conversations: key: %w", err)
	}
	a, err = unwrap(programID, keyID, wrapped)
	if err != nil {
		return nil, err
	}
	keyMu.Lock()
	dataKeys[keyID] = a
	keyMu.Unlock()
	return a, nil
}

// activeKey returns the program's active data key, making one when the
// program has none. Two transactions making one at once end with one: the
// unique index on active keys lets only the first in.
func activeKey(ctx context.Context, tx *db.Tx, programID string) (string, cipher.AEAD, error) {
	for range 2 {
		var id string
		err := tx.QueryRow(ctx, `SELECT id FROM conversation_keys WHERE program_id = ? AND active`, programID).Scan(&id)
		if err = db.Err(err); err == nil {
			a, err := keyByID(ctx, tx, id)
			return id, a, err
		} else if !errors.Is(err, db.ErrNotFound) {
			return "", nil, fmt.Errorf("conversations: active key: %w", err)
		}
		id, wrapped, err := newDataKey(programID)
		if err != nil {
			return "", nil, err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO conversation_keys (id, program_id, wrapped, active, created_at)
			VALUES (?, ?, ?, TRUE, ?) ON CONFLICT DO NOTHING`, id, programID, wrapped, now()); err != nil {
			return "", nil, fmt.Errorf("conversations: new key: %w", err)
		}
	}
	return "", nil, errors.New("conversations: no active key")
}

// seal encrypts body for message msgID of conversation convID.
func seal(a cipher.AEAD, convID, msgID, body string) (nonce, ct []byte, err error) {
	nonce = make([]byte, a.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return nil, nil, fmt.Errorf("conversations: nonce: %w", err)
	}
	return nonce, a.Seal(nil, nonce, []byte(body), messageAD(convID, msgID)), nil
}

// open decrypts a stored body.
func open(a cipher.AEAD, convID, msgID string, nonce, ct []byte) (string, error) {
	if len(nonce) != a.NonceSize() {
		return "", ErrUnreadable
	}
	b, err := a.Open(nil, nonce, ct, messageAD(convID, msgID))
	if err != nil {
		return "", ErrUnreadable
	}
	return string(b), nil
}

// decrypt reads one stored body, looking up its key.
func decrypt(ctx context.Context, q db.Querier, keyID, convID, msgID string, nonce, ct []byte) (string, error) {
	a, err := keyByID(ctx, q, keyID)
	if err != nil {
		return "", err
	}
	return open(a, convID, msgID, nonce, ct)
}
