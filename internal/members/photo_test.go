package members

import (
	"bytes"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/cairn-recovery/cairn/internal/access"
	"github.com/cairn-recovery/cairn/internal/db"
	"github.com/cairn-recovery/cairn/internal/testkit"
)

func testImage() image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 16, 12))
	for x := range 16 {
		for y := range 12 {
			img.Set(x, y, color.RGBA{uint8(x * 16), uint8(y * 20), 90, 255})
		}
	}
	return img
}

// jpegWithEXIF is a JPEG carrying an APP1 EXIF segment with a marker
// string standing in for GPS coordinates.
func jpegWithEXIF(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, testImage(), nil); err != nil {
		t.Fatal(err)
	}
	payload := append([]byte("Exif\x00\x00"), []byte("GPSLatitude=30.2672 SECRET-LOCATION")...)
	seg := append([]byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}, payload...)
	raw := b.Bytes()
	return append(append(append([]byte{}, raw[:2]...), seg...), raw[2:]...)
}

// pngWithText is a PNG carrying a tEXt chunk.
func pngWithText(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, testImage()); err != nil {
		t.Fatal(err)
	}
	raw := b.Bytes()
	data := []byte("Comment\x00SECRET-LOCATION")
	chunk := []byte{0, 0, 0, byte(len(data))}
	chunk = append(chunk, []byte("tEXt")...)
	chunk = append(chunk, data...)
	crc := crc32.ChecksumIEEE(chunk[4:])
	chunk = append(chunk, byte(crc>>24), byte(crc>>16), byte(crc>>8), byte(crc))
	// Insert after the IHDR chunk (8-byte signature + 25-byte IHDR).
	return append(append(append([]byte{}, raw[:33]...), chunk...), raw[33:]...)
}

func TestReencodePhotoStripsMetadata(t *testing.T) {
	for name, in := range map[string][]byte{"jpeg": jpegWithEXIF(t), "png": pngWithText(t)} {
		if !bytes.Contains(in, []byte("SECRET-LOCATION")) {
			t.Fatalf("%s: test input lacks its metadata", name)
		}
		out, ct, err := ReencodePhoto(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if ct != "image/"+name {
			t.Errorf("%s: content type %q", name, ct)
		}
		if bytes.Contains(out, []byte("SECRET-LOCATION")) || bytes.Contains(out, []byte("Exif")) {
			t.Errorf("%s: metadata survived re-encoding", name)
		}
		if _, _, err := image.Decode(bytes.NewReader(out)); err != nil {
			t.Errorf("%s: output does not decode: %v", name, err)
		}
	}
	var g bytes.Buffer
	if err := gif.Encode(&g, testImage(), nil); err != nil {
		t.Fatal(err)
	}
	huge := append(jpegWithEXIF(t), make([]byte, MaxPhotoBytes)...)
	for name, in := range map[string][]byte{
		"gif": g.Bytes(), "html": []byte("<html><script>alert(1)</script>"), "empty": nil,
		"truncated jpeg": jpegWithEXIF(t)[:40], "too big": huge,
	} {
		var verr ValidationError
		if _, _, err := ReencodePhoto(in); !errors.As(err, &verr) || verr.For("photo") == "" {
			t.Errorf("%s: accepted or unnamed error: %v", name, err)
		}
	}
}

func TestPhotoVisibility(t *testing.T) {
	testkit.Engines(t, func(t *testing.T, d *db.DB) {
		w := newWorld(t, d)
		if err := SetPhoto(w.ctx, d, w.alex, jpegWithEXIF(t)); err != nil {
			t.Fatal(err)
		}
		for _, viewer := range w.viewers() {
			data, ct, err := Photo(w.ctx, d, viewer.a, w.alex.UserID)
			want := viewer.name != "alien" && viewer.name != "family"
			if want && (err != nil || ct != "image/jpeg" || bytes.Contains(data, []byte("SECRET"))) {
				t.Errorf("%s: photo %q, %v", viewer.name, ct, err)
			}
			if !want && !errors.Is(err, db.ErrNotFound) {
				t.Errorf("%s: got the photo (%v)", viewer.name, err)
			}
		}
		if v, _ := ViewMember(w.ctx, d, w.peer, w.alex.UserID); !v.HasPhoto {
			t.Error("HasPhoto is false")
		}
		if err := RemovePhoto(w.ctx, d, w.alex); err != nil {
			t.Fatal(err)
		}
		if _, _, err := Photo(w.ctx, d, w.alex, w.alex.UserID); !errors.Is(err, db.ErrNotFound) {
			t.Errorf("removed photo: %v", err)
		}
		if err := SetPhoto(w.ctx, d, w.family, jpegWithEXIF(t)); !errors.Is(err, access.ErrNotFound) {
			t.Errorf("family set a photo: %v", err)
		}
	})
}
