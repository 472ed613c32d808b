// Package imageio reads and writes 3D medical images in the NIfTI-1/NIfTI-2
// and NRRD formats, producing exactly the geometry, pixel type and voxel values
// that ITK 5.2's NiftiImageIO and NrrdImageIO (and therefore SimpleITK's
// ReadImage, which PyRadiomics calls) produce.
//
// Geometry is returned in LPS and ITK order (see package volume). Voxel data
// are converted once, in bulk, from the file's type to float64; the pixel type
// of the file travels with the image (volume.Image.Type).
//
// Readers never trust a header: every size is checked for overflow and
// against a sane limit before anything is allocated, and buffers grow only as
// data actually arrive, so a tiny file that claims a huge image fails with a
// "truncated" error without a large allocation. Every error names the file
// (Read, Write) or the format (Decode functions) and the problem.
package imageio

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"crypto/sha1"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"

	gzip "github.com/klauspost/compress/gzip"

	"github.com/spinerad/spinerad/internal/volume"
)

// MaxVoxels is the largest number of voxels a reader accepts (2^30, i.e. an
// 8 GiB float64 buffer). Larger headers are refused before allocating.
const MaxVoxels = 1 << 30

// initialChunk caps the first allocation of a buffer whose final size is
// only claimed by a header and not yet backed by data.
const initialChunk = 4 << 20

// Format identifies a file format by its extension.
type Format int

// The formats recognised by FormatOf.
const (
	FormatUnknown   Format = iota
	FormatNIfTI            // .nii
	FormatNIfTIGz          // .nii.gz
	FormatNIfTIPair        // .hdr (+ .img or .img.gz)
	FormatNRRD             // .nrrd (attached header)
	FormatNHDR             // .nhdr (detached header)
)

// FormatOf returns the format implied by the (case-insensitive) extension of
// path: .nii, .nii.gz, .hdr, .nrrd or .nhdr.
func FormatOf(path string) Format {
	p := strings.ToLower(path)
	switch {
	case strings.HasSuffix(p, ".nii.gz"):
		return FormatNIfTIGz
	case strings.HasSuffix(p, ".nii"):
		return FormatNIfTI
	case strings.HasSuffix(p, ".hdr"):
		return FormatNIfTIPair
	case strings.HasSuffix(p, ".nrrd"):
		return FormatNRRD
	case strings.HasSuffix(p, ".nhdr"):
		return FormatNHDR
	}
	return FormatUnknown
}

// Read reads a 3D scalar image from path, choosing the format by extension
// (.nii, .nii.gz, .hdr/.img pairs, .nrrd, .nhdr; case-insensitive). A 2D
// image is returned with z size 1 (z spacing 1, origin z 0, as ITK's
// ImageFileReader pads a 2D file read into a 3D image). Errors name the file.
func Read(path string) (*volume.Image, error) {
	var (
		im  *volume.Image
		err error
	)
	switch FormatOf(path) {
	case FormatNIfTI, FormatNIfTIGz:
		im, err = readNIfTIFile(path)
	case FormatNIfTIPair:
		im, err = readNIfTIPair(path)
	case FormatNRRD, FormatNHDR:
		im, err = readNRRDFile(path)
	default:
		return nil, fmt.Errorf("%s: unknown image format (want .nii, .nii.gz, .hdr, .nrrd or .nhdr)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return im, nil
}

func readNIfTIFile(path string) (*volume.Image, error) {
	f, size, err := openSized(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return decodeNIfTI(bufio.NewReaderSize(f, 1<<20), size)
}

// stripPathErr drops the file name from an *os.PathError, because callers
// prefix every error with the path already.
func stripPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// Write writes im to path in the format given by the extension (.nii,
// .nii.gz or .nrrd; case-insensitive), storing im.Type as the file's pixel
// type. The file is written to a temporary file in the same directory and
// renamed into place, so no partial output remains on error.
//
// NRRD stores spacing*direction vectors and the origin as shortest
// round-trip doubles; reading back gives spacing = |vector| and direction =
// vector*(1/spacing) as ITK does, which reproduces the geometry exactly for
// axis-aligned images whenever s*(1/s) == 1 in double arithmetic (true for
// most spacings, e.g. 0.7812499999999999, but not e.g. 49), and to within an
// ulp otherwise (ITK's own NRRD writer/reader pair behaves the same).
//
// NIfTI-1 stores spacing, origin and the sform/qform in float32 fields, so
// the geometry round-trips at float32 precision: exactly when spacing and
// origin are float32 values and the direction is axis-aligned.
func Write(path string, im *volume.Image) error {
	return WriteWithOptions(path, im, WriteOptions{})
}

// WriteWithOptions is Write with optional header text (see WriteOptions);
// WriteWithOptions(path, im, WriteOptions{}) writes exactly the bytes of
// Write(path, im). Header text that does not fit its field, or that holds
// a NUL, a newline or a non-ASCII byte, is an error.
func WriteWithOptions(path string, im *volume.Image, opt WriteOptions) error {
	if err := checkImage(im); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if err := opt.check(); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var enc func(io.Writer, *volume.Image) error
	switch FormatOf(path) {
	case FormatNIfTI:
		enc = func(w io.Writer, im *volume.Image) error { return encodeNIfTIOpt(w, im, 1, false, &opt) }
	case FormatNIfTIGz:
		enc = func(w io.Writer, im *volume.Image) error {
			zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
			if err != nil {
				return err
			}
			if err := encodeNIfTIOpt(zw, im, 1, false, &opt); err != nil {
				return err
			}
			return zw.Close()
		}
	case FormatNRRD:
		enc = func(w io.Writer, im *volume.Image) error { return encodeNRRD(w, im, &opt) }
	default:
		return fmt.Errorf("%s: cannot write this format (want .nii, .nii.gz or .nrrd)", path)
	}
	if err := writeAtomic(path, func(w io.Writer) error { return enc(w, im) }); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// writeAtomic writes through a buffered temporary file next to path and
// renames it to path on success; on any error the temporary file is removed.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	f, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return stripPathErr(err)
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(tmp)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<20)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return stripPathErr(err)
	}
	if err = f.Chmod(0o644); err != nil {
		return stripPathErr(err)
	}
	if err = f.Close(); err != nil {
		return stripPathErr(err)
	}
	if err = os.Rename(tmp, path); err != nil {
		return stripPathErr(err)
	}
	return nil
}

// checkImage validates an image before it is encoded.
func checkImage(im *volume.Image) error {
	if im == nil {
		return errors.New("nil image")
	}
	if im.Type < volume.Int8 || im.Type > volume.Float64 {
		return fmt.Errorf("unsupported pixel type %v", im.Type)
	}
	n := 1
	for a := 0; a < 3; a++ {
		if im.Size[a] <= 0 {
			return fmt.Errorf("size %v has a non-positive dimension", im.Size)
		}
		if n > MaxVoxels/im.Size[a] {
			return fmt.Errorf("size %v exceeds %d voxels", im.Size, MaxVoxels)
		}
		n *= im.Size[a]
		if !(im.Spacing[a] > 0) || math.IsInf(im.Spacing[a], 0) {
			return fmt.Errorf("spacing %v is not positive and finite", im.Spacing)
		}
		if math.IsNaN(im.Origin[a]) || math.IsInf(im.Origin[a], 0) {
			return fmt.Errorf("origin %v is not finite", im.Origin)
		}
		for k := 0; k < 3; k++ {
			if v := im.Direction[a][k]; math.IsNaN(v) || math.IsInf(v, 0) {
				return fmt.Errorf("direction %v is not finite", im.Direction)
			}
		}
	}
	if len(im.Data) != n {
		return fmt.Errorf("image has %d values for size %v (%d voxels)", len(im.Data), im.Size, n)
	}
	return nil
}

// RawHash returns the SHA-1 (hex) of the image's voxel buffer in its own
// pixel type, little-endian, x fastest: SimpleITK's sitk.Hash, which
// PyRadiomics reports as diagnostics_Image-original_Hash and (after casting
// the mask to UInt32) diagnostics_Mask-original_Hash. A value that the type
// cannot hold is converted as by Type.Cast.
func RawHash(im *volume.Image) string {
	h := sha1.New()
	sz := typeBytes(im.Type)
	const chunk = 1 << 16
	buf := make([]byte, chunk*sz)
	for i := 0; i < len(im.Data); i += chunk {
		j := min(i+chunk, len(im.Data))
		b := buf[:(j-i)*sz]
		putSamples(b, im.Data[i:j], im.Type, binary.LittleEndian)
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// readN reads exactly n bytes from r. When avail >= 0 it is the number of
// bytes known to be available, and a shorter stream is reported before
// allocating; otherwise the buffer grows as data arrive, starting from at
// most initialChunk, so a header claiming a huge size cannot force a huge
// allocation on its own.
func readN(r io.Reader, n int64, avail int64, what string) ([]byte, error) {
	if n < 0 {
		return nil, fmt.Errorf("%s: negative size", what)
	}
	if avail >= 0 && avail < n {
		return nil, fmt.Errorf("%s truncated: need %d bytes, only %d available", what, n, avail)
	}
	if avail >= 0 || n <= initialChunk {
		buf := make([]byte, n)
		got, err := io.ReadFull(r, buf)
		if err != nil {
			return nil, readErr(err, what, n, int64(got))
		}
		return buf, nil
	}
	buf := make([]byte, 0, initialChunk)
	for int64(len(buf)) < n {
		if len(buf) == cap(buf) {
			c := min(int64(cap(buf))*2, n)
			nb := make([]byte, len(buf), c)
			copy(nb, buf)
			buf = nb
		}
		got, err := io.ReadFull(r, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+got]
		if err != nil {
			return nil, readErr(err, what, n, int64(len(buf)))
		}
	}
	return buf, nil
}

func readErr(err error, what string, n, got int64) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s truncated: need %d bytes, got %d", what, n, got)
	}
	if isGzipErr(err) {
		return fmt.Errorf("%s: corrupt gzip data: %w", what, err)
	}
	var bz bzip2.StructuralError
	if errors.As(err, &bz) {
		return fmt.Errorf("%s: corrupt bzip2 data: %w", what, err)
	}
	return fmt.Errorf("%s: %w", what, err)
}

func isGzipErr(err error) bool {
	return errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) || strings.Contains(err.Error(), "flate")
}

// readAllLimit reads r to EOF, failing if it holds more than limit bytes.
func readAllLimit(r io.Reader, limit int64, what string) ([]byte, error) {
	var b bytes.Buffer
	n, err := b.ReadFrom(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, readErr(err, what, limit, n)
	}
	if n > limit {
		return nil, fmt.Errorf("%s: more than %d bytes", what, limit)
	}
	return b.Bytes(), nil
}

// gunzipMaybe returns a reader of the decompressed stream when br starts
// with the gzip magic, else br itself.
func gunzipMaybe(br *bufio.Reader) (io.Reader, bool, error) {
	magic, err := br.Peek(2)
	if err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, true, fmt.Errorf("corrupt gzip header: %w", err)
		}
		return zr, true, nil
	}
	return br, false, nil
}

// checkedProduct multiplies sizes, failing on a non-positive size, on
// overflow and above MaxVoxels.
func checkedProduct(sizes []int64) (int, error) {
	n := int64(1)
	for _, s := range sizes {
		if s <= 0 {
			return 0, fmt.Errorf("dimension sizes %v: non-positive size", sizes)
		}
		if s > MaxVoxels || n > MaxVoxels/s {
			return 0, fmt.Errorf("dimension sizes %v: more than %d voxels", sizes, MaxVoxels)
		}
		n *= s
	}
	return int(n), nil
}

// maxDeflateRatio bounds the expansion of deflate data (1032:1), so that the
// compressed size of a gzip stream bounds what it can hold.
const maxDeflateRatio = 1032

// gzipCanHold reports whether a gzip stream of compressed bytes can
// decompress to at least need bytes.
func gzipCanHold(compressed, need int64) bool {
	return need <= compressed*maxDeflateRatio+(1<<16)
}

// pipeChunk is the piece size in which readSamples overlaps reading (and
// decompressing) with conversion.
const pipeChunk = 1 << 18

// readSamples reads len(dst) values of type t from r and converts them into
// dst. Large reads run the reader in a second goroutine, so decompression
// overlaps conversion; no full-size byte buffer is allocated. dst must only
// be allocated once the caller knows the stream can hold the data.
func readSamples(r io.Reader, dst []float64, t volume.PixelType, bigEndian bool, what string) error {
	sz := typeBytes(t)
	total := int64(len(dst)) * int64(sz)
	if total <= 4*pipeChunk {
		raw, err := readN(r, total, -1, what)
		if err != nil {
			return err
		}
		decodeSamples(dst, raw, t, bigEndian)
		return nil
	}
	type piece struct {
		buf []byte
		err error
		got int64
	}
	free := make(chan []byte, 4)
	for i := 0; i < cap(free); i++ {
		free <- make([]byte, pipeChunk)
	}
	full := make(chan piece, cap(free))
	go func() {
		defer close(full)
		for off := int64(0); off < total; {
			buf := <-free
			n := min(int64(pipeChunk), total-off)
			m, err := io.ReadFull(r, buf[:n])
			off += int64(m)
			if err != nil {
				full <- piece{err: err, got: off}
				return
			}
			full <- piece{buf: buf[:n]}
		}
	}()
	i := 0
	var rerr error
	for p := range full {
		if p.err != nil {
			rerr = readErr(p.err, what, total, p.got)
			continue
		}
		n := len(p.buf) / sz
		decodeSamples(dst[i:i+n], p.buf, t, bigEndian)
		i += n
		free <- p.buf[:cap(p.buf)]
	}
	return rerr
}

// checkGzipEnd reads past the end of the data in a gzip stream so that the
// CRC-32 and length in the gzip trailer are verified (Go checks them only at
// EOF). Trailing bytes after the data are ignored, as teem and niftilib do.
func checkGzipEnd(r io.Reader) error {
	var b [1]byte
	_, err := r.Read(b[:])
	if err == nil || err == io.EOF {
		return nil
	}
	return fmt.Errorf("corrupt gzip data: %w", err)
}

// openSized opens path and returns the file and its size; errors carry no
// path (the caller prefixes it).
func openSized(path string) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, stripPathErr(err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, stripPathErr(err)
	}
	return f, st.Size(), nil
}
