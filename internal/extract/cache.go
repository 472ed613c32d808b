package extract

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/safefile"
	"github.com/spinerad/spinerad/internal/volume"
)

// cacheFormat tags every cache entry and key; bump it when the entry layout
// or the key recipe changes so that old entries are ignored.
const cacheFormat = "spinerad-batch-cache/1"

// Fingerprint returns a SHA-256 (hex) identifying everything in p that can
// change an extraction's output: the settings as PyRadiomics' repr (every
// explicitly set key, overrides and the label included, in order), the
// resolved settings record, the image types with their overrides, and the
// feature classes with their feature lists, and NoDiagnostics. Two parameter sets with the same
// fingerprint produce the same features and diagnostics with the same
// spinerad version.
func (p *Params) Fingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\nsettings %s\n", cacheFormat, p.Setting.Repr())
	// The resolved record guards against a field that Repr might not show
	// (fmt prints maps with sorted keys, so this is deterministic).
	fmt.Fprintf(h, "resolved %#v\n", p.Setting)
	fmt.Fprintf(h, "imageTypes %s\n%#v\n", p.imageTypesRepr(), p.ImageTypes)
	for _, c := range p.Classes {
		fmt.Fprintf(h, "class %q %q\n", c.Name, c.Features)
	}
	fmt.Fprintf(h, "noDiagnostics %t\n", p.NoDiagnostics)
	return hex.EncodeToString(h.Sum(nil))
}

// cacheKey is the SHA-256 (hex) of the image and mask content hashes, the
// label, the parameter fingerprint, any command-line overrides, spinerad's
// Version and the Go release (which can change floating-point results and
// is part of the diagnostics).
func cacheKey(imageHash, maskHash string, label int, fingerprint string, overrides []string) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\nimage %s\nmask %s\nlabel %d\nparams %s\n", cacheFormat, imageHash, maskHash, label, fingerprint)
	for _, o := range overrides {
		fmt.Fprintf(h, "override %q\n", o)
	}
	fmt.Fprintf(h, "version %q\ngo %q\n", Version, runtime.Version())
	return hex.EncodeToString(h.Sum(nil))
}

// contentHash returns the SHA-256 (hex) identifying the content of an image
// file. Single-file formats (.nii, .nii.gz, .nrrd) hash the file's bytes.
// Multi-file formats (.hdr/.img pairs, .nhdr with detached data) are read
// and their decoded content is hashed (pixel type, geometry bits, voxel
// values), so a change in any of their files is seen; the decoded image is
// returned for reuse.
func contentHash(path string) (string, *volume.Image, error) {
	switch imageio.FormatOf(path) {
	case imageio.FormatNIfTIPair, imageio.FormatNHDR:
		im, err := imageio.Read(path)
		if err != nil {
			return "", nil, err
		}
		return imageHash(im), im, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	h := sha256.New()
	h.Write([]byte("file\n"))
	if _, err := io.Copy(h, bufio.NewReaderSize(f, 1<<20)); err != nil {
		return "", nil, fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil, nil
}

// imageHash hashes a decoded image: pixel type, geometry and voxel values
// as IEEE-754 bits.
func imageHash(im *volume.Image) string {
	h := sha256.New()
	fmt.Fprintf(h, "decoded\n%d %v\n", im.Type, im.Size)
	var b [8]byte
	put := func(v float64) {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(v))
		h.Write(b[:])
	}
	for a := 0; a < 3; a++ {
		put(im.Spacing[a])
		put(im.Origin[a])
		for k := 0; k < 3; k++ {
			put(im.Direction[a][k])
		}
	}
	const chunk = 1 << 13
	buf := make([]byte, 8*chunk)
	for i := 0; i < len(im.Data); i += chunk {
		j := min(i+chunk, len(im.Data))
		for k, v := range im.Data[i:j] {
			binary.LittleEndian.PutUint64(buf[8*k:], math.Float64bits(v))
		}
		h.Write(buf[:8*(j-i)])
	}
	return hex.EncodeToString(h.Sum(nil))
}

// cacheEntry is one finished case as stored on disk (JSON). Feature values
// are stored as their FormatFloat text, which is exactly what the output
// CSV holds, so a cached case reproduces its row byte for byte.
type cacheEntry struct {
	Format      string      `json:"format"`
	Key         string      `json:"key"`
	Image       string      `json:"image"`
	Mask        string      `json:"mask"`
	Label       int         `json:"label"`
	Diagnostics [][2]string `json:"diagnostics"`
	Features    [][2]string `json:"features"`
	Warnings    []string    `json:"warnings,omitempty"`
}

// entryPath is the file of key in cache directory dir.
func entryPath(dir, key string) string { return filepath.Join(dir, key+".json") }

// loadEntry reads the entry of key. A missing entry gives (nil, nil); an
// unreadable or inconsistent one gives an error (the caller recomputes).
func loadEntry(dir, key string) (*cacheEntry, error) {
	b, err := os.ReadFile(entryPath(dir, key))
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, err
	}
	var e cacheEntry
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("cache entry %s: %v", entryPath(dir, key), err)
	}
	if e.Format != cacheFormat || e.Key != key {
		return nil, fmt.Errorf("cache entry %s: wrong format or key", entryPath(dir, key))
	}
	for _, f := range e.Features {
		if _, err := parsePyFloat(f[1]); err != nil {
			return nil, fmt.Errorf("cache entry %s: feature %s: %v", entryPath(dir, key), f[0], err)
		}
	}
	return &e, nil
}

// storeEntry writes e atomically (temporary file and rename in dir), so an
// interrupted run leaves either the complete entry or none.
func storeEntry(dir string, e *cacheEntry) error {
	return safefile.Write(entryPath(dir, e.Key), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		return enc.Encode(e)
	})
}

// newEntry converts a result into a cache entry.
func newEntry(key, image, mask string, label int, r *Result) *cacheEntry {
	e := &cacheEntry{
		Format: cacheFormat, Key: key, Image: image, Mask: mask, Label: label,
		Diagnostics: make([][2]string, len(r.Diagnostics)),
		Features:    make([][2]string, len(r.Features)),
		Warnings:    r.Warnings,
	}
	for i, d := range r.Diagnostics {
		e.Diagnostics[i] = [2]string{d.Name, d.Value}
	}
	for i, f := range r.Features {
		e.Features[i] = [2]string{f.Name, FormatFloat(f.Value)}
	}
	return e
}

// parsePyFloat reads a FormatFloat text back ("nan", "inf", "-inf" included).
func parsePyFloat(s string) (float64, error) {
	switch s {
	case "nan":
		return math.NaN(), nil
	case "inf":
		return math.Inf(1), nil
	case "-inf":
		return math.Inf(-1), nil
	}
	return strconv.ParseFloat(s, 64)
}

// removeStaleTemps deletes temporary entry files that a killed run left in
// dir, if older than an hour (younger ones may belong to a running batch).
func removeStaleTemps(dir string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	cutoff := time.Now().Add(-time.Hour)
	for _, e := range ents {
		n := e.Name()
		if !strings.HasPrefix(n, ".") || !strings.Contains(n, ".json.tmp-") {
			continue
		}
		if info, err := e.Info(); err == nil && info.ModTime().Before(cutoff) {
			os.Remove(filepath.Join(dir, n))
		}
	}
}
