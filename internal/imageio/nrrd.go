package imageio

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	gzip "github.com/klauspost/compress/gzip"

	"github.com/spinerad/spinerad/internal/volume"
)

// Limits on NRRD header text, to bound memory on hostile input.
const (
	maxNRRDLine   = 1 << 20
	maxNRRDHeader = 16 << 20
	maxNRRDFiles  = 1 << 16
)

// nrrdTypes maps every type name teem accepts (lower-cased) to a pixel type.
var nrrdTypes = map[string]volume.PixelType{
	"signed char": volume.Int8, "int8": volume.Int8, "int8_t": volume.Int8,
	"uchar": volume.UInt8, "unsigned char": volume.UInt8, "uint8": volume.UInt8, "uint8_t": volume.UInt8,
	"short": volume.Int16, "short int": volume.Int16, "signed short": volume.Int16,
	"signed short int": volume.Int16, "int16": volume.Int16, "int16_t": volume.Int16,
	"ushort": volume.UInt16, "unsigned short": volume.UInt16, "unsigned short int": volume.UInt16,
	"uint16": volume.UInt16, "uint16_t": volume.UInt16,
	"int": volume.Int32, "signed int": volume.Int32, "int32": volume.Int32, "int32_t": volume.Int32,
	"uint": volume.UInt32, "unsigned int": volume.UInt32, "uint32": volume.UInt32, "uint32_t": volume.UInt32,
	"longlong": volume.Int64, "long long": volume.Int64, "long long int": volume.Int64,
	"signed long long": volume.Int64, "signed long long int": volume.Int64, "int64": volume.Int64, "int64_t": volume.Int64,
	"ulonglong": volume.UInt64, "unsigned long long": volume.UInt64, "unsigned long long int": volume.UInt64,
	"uint64": volume.UInt64, "uint64_t": volume.UInt64,
	"float": volume.Float32, "double": volume.Float64,
}

// nrrdTypeNames are the canonical teem names used when writing.
var nrrdTypeNames = map[volume.PixelType]string{
	volume.Int8: "signed char", volume.UInt8: "unsigned char", volume.Int16: "short",
	volume.UInt16: "unsigned short", volume.Int32: "int", volume.UInt32: "unsigned int",
	volume.Int64: "long long int", volume.UInt64: "unsigned long long int",
	volume.Float32: "float", volume.Float64: "double",
}

// nrrdSpaces maps teem's space names (lower-cased) to a canonical name and
// the space dimension.
var nrrdSpaces = func() map[string]struct {
	name string
	dim  int
} {
	m := map[string]struct {
		name string
		dim  int
	}{}
	add := func(name string, dim int, alts ...string) {
		for _, a := range append(alts, name) {
			m[strings.ToLower(a)] = struct {
				name string
				dim  int
			}{name, dim}
		}
	}
	add("RAS", 3, "right-anterior-superior", "right anterior superior", "rightanteriorsuperior")
	add("LAS", 3, "left-anterior-superior", "left anterior superior", "leftanteriorsuperior")
	add("LPS", 3, "left-posterior-superior", "left posterior superior", "leftposteriorsuperior")
	add("RAST", 4, "right-anterior-superior-time", "right anterior superior time", "rightanteriorsuperiortime")
	add("LAST", 4, "left-anterior-superior-time", "left anterior superior time", "leftanteriorsuperiortime")
	add("LPST", 4, "left-posterior-superior-time", "left posterior superior time", "leftposteriorsuperiortime")
	add("scanner-xyz", 3)
	add("scanner-xyz-time", 4, "scanner-xyzt")
	add("3D-right-handed", 3, "3D right handed", "3Drighthanded")
	add("3D-left-handed", 3, "3D left handed", "3Dlefthanded")
	add("3D-right-handed-time", 4, "3D right handed time", "3Drighthandedtime")
	add("3D-left-handed-time", 4, "3D left handed time", "3Dlefthandedtime")
	return m
}()

// nrrdFields maps every field identifier (lower-cased) to its canonical name.
var nrrdFields = func() map[string]string {
	m := map[string]string{}
	for _, f := range []string{"content", "number", "type", "block size", "dimension", "space",
		"space dimension", "sizes", "spacings", "thicknesses", "axis mins", "axis maxs",
		"space directions", "centers", "centerings", "kinds", "labels", "units", "min", "max",
		"old min", "old max", "endian", "encoding", "line skip", "byte skip", "sample units",
		"space units", "space origin", "measurement frame", "data file"} {
		m[f] = f
		m[strings.ReplaceAll(f, " ", "")] = f
	}
	m["centerings"] = "centers"
	return m
}()

// nrrdHeader is a parsed NRRD header.
type nrrdHeader struct {
	typ       volume.PixelType
	hasType   bool
	dim       int
	fields    map[string]string
	dataFiles []string // detached data files, in order
	subdim    int      // per-file dimension of multi-file data (0: single file)
}

// DecodeNRRD decodes an NRRD image (NRRD0001-NRRD0005) from r with the
// geometry, pixel type and values ITK 5.2's NrrdImageIO gives:
//
//   - spacing of an axis = Euclidean norm of its "space directions" vector
//     (accumulated from 0, then sqrt), direction column = vector*(1/norm);
//   - "space origin" as parsed doubles; a right-anterior-superior space is
//     converted to LPS by negating x and y of directions and origin
//     (left-anterior-superior: x only);
//   - without a space: "spacings" (default 1) and an origin from "axis mins"
//     (plus half a spacing for cell-centred axes, teem's nrrdOriginCalculate),
//     identity direction;
//   - the pixel type of "type" (every teem alias accepted).
//
// Encodings raw, gzip/gz, bzip2/bz2, ascii/text/txt and hex; "line skip"
// and "byte skip" (negative: count from the end) as teem applies them. dir
// is the directory against which detached "data file" names are resolved;
// when dir is empty a header naming a separate data file is an error. 2D
// images are returned with z size 1; a size-1 range (component) axis or
// size-1 extra axes are dropped; other 4D and vector images are refused.
func DecodeNRRD(r io.Reader, dir string) (*volume.Image, error) {
	avail := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok {
		avail = int64(l.Len())
	}
	im, err := decodeNRRD(r, avail, dir)
	if err != nil {
		return nil, fmt.Errorf("nrrd: %w", err)
	}
	return im, nil
}

func readNRRDFile(path string) (*volume.Image, error) {
	f, size, err := openSized(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	dir := filepath.Dir(path)
	return decodeNRRD(f, size, dir)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func decodeNRRD(r io.Reader, size int64, dir string) (*volume.Image, error) {
	cr := &countingReader{r: r}
	br := bufio.NewReaderSize(cr, 1<<20)
	h, err := parseNRRDHeader(br)
	if err != nil {
		return nil, err
	}
	g, nvox, err := h.geometry()
	if err != nil {
		return nil, err
	}
	enc, err := h.encoding()
	if err != nil {
		return nil, err
	}
	bigEndian, err := h.endian(enc)
	if err != nil {
		return nil, err
	}
	lineSkip, byteSkip, err := h.skips()
	if err != nil {
		return nil, err
	}
	if len(h.dataFiles) == 0 {
		avail := int64(-1)
		if size >= 0 {
			avail = size - (cr.n - int64(br.Buffered()))
		}
		data, err := readNRRDPiece(br, avail, enc, lineSkip, byteSkip, nvox, h.typ, bigEndian)
		if err != nil {
			return nil, err
		}
		return &volume.Image{Geometry: g, Type: h.typ, Data: data}, nil
	}
	if dir == "" {
		return nil, fmt.Errorf("header names a detached data file %q but no directory was given", h.dataFiles[0])
	}
	nf := len(h.dataFiles)
	if nvox%nf != 0 {
		return nil, fmt.Errorf("%d voxels cannot be split evenly over %d data files", nvox, nf)
	}
	per := nvox / nf
	var data []float64
	for _, name := range h.dataFiles {
		p := name
		if !filepath.IsAbs(p) {
			p = filepath.Join(dir, p)
		}
		vals, err := readNRRDDataFile(p, enc, lineSkip, byteSkip, per, h.typ, bigEndian)
		if err != nil {
			return nil, fmt.Errorf("data file %s: %w", name, err)
		}
		if data == nil {
			if len(h.dataFiles) == 1 {
				data = vals
				break
			}
			data = make([]float64, 0, nvox)
		}
		data = append(data, vals...)
	}
	return &volume.Image{Geometry: g, Type: h.typ, Data: data}, nil
}

func readNRRDDataFile(path, enc string, lineSkip, byteSkip int64, nvox int, t volume.PixelType, bigEndian bool) ([]float64, error) {
	f, size, err := openSized(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readNRRDPiece(bufio.NewReaderSize(f, 1<<20), size, enc, lineSkip, byteSkip, nvox, t, bigEndian)
}

// readNRRDPiece reads and converts nvox values from one data stream: line
// skip on the stored bytes, then the encoding, with byte skip applied to the
// stored bytes (raw, ascii, hex) or to the decompressed stream (gzip,
// bzip2). avail is the number of stored bytes left in the stream, or -1.
func readNRRDPiece(br *bufio.Reader, avail int64, enc string, lineSkip, byteSkip int64, nvox int, t volume.PixelType, bigEndian bool) ([]float64, error) {
	for i := int64(0); i < lineSkip; i++ {
		for {
			line, err := br.ReadSlice('\n')
			if avail >= 0 {
				avail -= int64(len(line))
			}
			if err == nil {
				break
			}
			if err != bufio.ErrBufferFull {
				return nil, fmt.Errorf("truncated: hit the end of data while skipping line %d of %d", i+1, lineSkip)
			}
		}
	}
	need := int64(nvox) * int64(typeBytes(t))
	stored := avail
	var src io.Reader = br
	switch enc {
	case "gzip":
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("corrupt gzip data: %w", err)
		}
		src, avail = zr, -1
	case "bzip2":
		src, avail = bzip2.NewReader(br), -1
	}
	if byteSkip < -1 && enc != "gzip" && enc != "bzip2" && enc != "raw" {
		return nil, fmt.Errorf("byte skip %d is only allowed with raw, gzip or bzip2 encoding", byteSkip)
	}
	if enc == "gzip" && stored >= 0 && !gzipCanHold(stored, need+max(byteSkip, 0)) {
		return nil, fmt.Errorf("image data truncated: need %d bytes, %d bytes of gzip data cannot hold them", need, stored)
	}
	if byteSkip > 0 {
		if avail >= 0 && avail < byteSkip {
			return nil, fmt.Errorf("truncated: byte skip %d beyond the end of the data (%d bytes)", byteSkip, avail)
		}
		n, err := io.CopyN(io.Discard, src, byteSkip)
		if err != nil {
			return nil, readErr(err, "byte skip", byteSkip, n)
		}
		if avail >= 0 {
			avail -= byteSkip
		}
	}
	decode := func(raw []byte) []float64 {
		d := make([]float64, nvox)
		decodeSamples(d, raw, t, bigEndian)
		return d
	}
	switch enc {
	case "ascii":
		if byteSkip < 0 {
			return nil, errors.New("negative byte skip is not allowed with ascii encoding")
		}
		return parseASCII(src, nvox, t)
	case "hex":
		if byteSkip < 0 {
			return nil, errors.New("negative byte skip is not allowed with hex encoding")
		}
		raw, err := parseHex(src, need)
		if err != nil {
			return nil, err
		}
		return decode(raw), nil
	}
	if byteSkip < 0 {
		back := -byteSkip - 1
		var all []byte
		var err error
		if avail >= 0 {
			if avail < need+back {
				return nil, fmt.Errorf("image data truncated: need %d bytes before the last %d, only %d available", need, back, avail)
			}
			all, err = readN(src, avail, avail, "image data")
		} else {
			all, err = readAllLimit(src, int64(MaxVoxels)*8+back, "image data")
		}
		if err != nil {
			return nil, err
		}
		if int64(len(all)) < need+back {
			return nil, fmt.Errorf("image data truncated: need %d bytes before the last %d, got %d in all", need, back, len(all))
		}
		end := int64(len(all)) - back
		return decode(all[end-need : end]), nil
	}
	if avail >= 0 && avail < need {
		return nil, fmt.Errorf("image data truncated: need %d bytes, only %d available", need, avail)
	}
	var d []float64
	if avail >= 0 || (enc == "gzip" && stored >= 0) {
		d = make([]float64, nvox)
		if err := readSamples(src, d, t, bigEndian, "image data"); err != nil {
			return nil, err
		}
	} else {
		raw, err := readN(src, need, -1, "image data")
		if err != nil {
			return nil, err
		}
		d = decode(raw)
	}
	if enc == "gzip" {
		if err := checkGzipEnd(src); err != nil {
			return nil, err
		}
	}
	return d, nil
}

// parseASCII reads nvox whitespace- or comma-separated numbers.
func parseASCII(r io.Reader, nvox int, t volume.PixelType) ([]float64, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxNRRDLine)
	sc.Split(bufio.ScanWords)
	vals := make([]float64, 0, min(nvox, 1<<12))
	for len(vals) < nvox && sc.Scan() {
		for _, tok := range strings.Split(sc.Text(), ",") {
			if tok == "" {
				continue
			}
			v, err := strconv.ParseFloat(tok, 64)
			if err != nil {
				return nil, fmt.Errorf("ascii data: value %d: bad number %q", len(vals), tok)
			}
			if t.IsInteger() || t == volume.Float32 {
				if c := t.Cast(v); t.IsInteger() && c != v {
					return nil, fmt.Errorf("ascii data: value %d (%v) does not fit %v", len(vals), tok, t)
				} else {
					v = c
				}
			}
			if len(vals) < nvox {
				vals = append(vals, v)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("ascii data: %w", err)
	}
	if len(vals) < nvox {
		return nil, fmt.Errorf("ascii data truncated: need %d values, got %d", nvox, len(vals))
	}
	return vals, nil
}

// parseHex reads need bytes written as hexadecimal digit pairs, ignoring
// whitespace.
func parseHex(r io.Reader, need int64) ([]byte, error) {
	out := make([]byte, 0, min(need, 1<<16))
	br := bufio.NewReader(r)
	var pair [2]byte
	np := 0
	for int64(len(out)) < need {
		c, err := br.ReadByte()
		if err != nil {
			if err == io.EOF {
				return nil, fmt.Errorf("hex data truncated: need %d bytes, got %d", need, len(out))
			}
			return nil, err
		}
		if c == ' ' || c == '\n' || c == '\r' || c == '\t' {
			continue
		}
		pair[np] = c
		np++
		if np == 2 {
			var b [1]byte
			if _, err := hex.Decode(b[:], pair[:]); err != nil {
				return nil, fmt.Errorf("hex data: bad digits %q", pair[:])
			}
			out = append(out, b[0])
			np = 0
		}
	}
	return out, nil
}

// parseNRRDHeader reads the magic line and the fields up to the blank line
// that ends an attached header (or the end of a detached header).
func parseNRRDHeader(br *bufio.Reader) (*nrrdHeader, error) {
	total := 0
	readLine := func() (string, bool, error) {
		var buf []byte
		for {
			part, err := br.ReadSlice('\n')
			buf = append(buf, part...)
			total += len(part)
			if len(buf) > maxNRRDLine || total > maxNRRDHeader {
				return "", false, errors.New("header line or header too long")
			}
			if err == bufio.ErrBufferFull {
				continue
			}
			if err == io.EOF {
				if len(buf) == 0 {
					return "", true, nil
				}
				return strings.TrimRight(string(buf), "\r\n"), false, nil
			}
			if err != nil {
				return "", false, err
			}
			return strings.TrimRight(string(buf), "\r\n"), false, nil
		}
	}
	magic, eof, err := readLine()
	if err != nil {
		return nil, err
	}
	if eof || len(magic) != 8 || !strings.HasPrefix(magic, "NRRD000") || magic[7] < '1' || magic[7] > '5' {
		if len(magic) > 16 {
			magic = magic[:16]
		}
		return nil, fmt.Errorf("bad magic %q: not an NRRD file (want NRRD0001..NRRD0005)", magic)
	}
	h := &nrrdHeader{fields: map[string]string{}}
	for {
		line, eof, err := readLine()
		if err != nil {
			return nil, err
		}
		if eof {
			if _, ok := h.fields["data file"]; !ok {
				return nil, errors.New("truncated: header ends without the blank line that precedes attached data")
			}
			break
		}
		if line == "" {
			break
		}
		if strings.HasPrefix(line, "#") {
			continue
		}
		if i := strings.Index(line, ":="); i >= 0 && !strings.Contains(line[:i], ": ") {
			continue // key/value pair
		}
		i := strings.Index(line, ":")
		if i < 0 {
			return nil, fmt.Errorf("bad header line %q (no \"field: value\")", clip(line))
		}
		name, ok := nrrdFields[strings.ToLower(strings.TrimSpace(line[:i]))]
		if !ok {
			return nil, fmt.Errorf("unknown header field %q", clip(line[:i]))
		}
		val := strings.TrimSpace(line[i+1:])
		if _, dup := h.fields[name]; dup {
			return nil, fmt.Errorf("field %q given twice", name)
		}
		h.fields[name] = val
		if name == "data file" {
			if err := h.parseDataFile(val, readLine); err != nil {
				return nil, err
			}
			if strings.HasPrefix(val, "LIST") {
				break // the LIST of names ends the header
			}
		}
	}
	return h, h.parseBasics()
}

func clip(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}

// parseDataFile handles the three "data file" forms: a single name, a
// printf pattern "fmt min max step [subdim]", and "LIST [subdim]" followed by
// one name per line up to the end of the header.
func (h *nrrdHeader) parseDataFile(val string, readLine func() (string, bool, error)) error {
	if strings.HasPrefix(val, "LIST") && (len(val) == 4 || val[4] == ' ' || val[4] == '\t') {
		if rest := strings.TrimSpace(val[4:]); rest != "" {
			n, err := strconv.Atoi(rest)
			if err != nil || n < 1 {
				return fmt.Errorf("data file LIST: bad sub-dimension %q", rest)
			}
			h.subdim = n
		}
		for {
			line, eof, err := readLine()
			if err != nil {
				return err
			}
			if eof || line == "" {
				break
			}
			if len(h.dataFiles) >= maxNRRDFiles {
				return errors.New("data file LIST: too many files")
			}
			h.dataFiles = append(h.dataFiles, line)
		}
		if len(h.dataFiles) == 0 {
			return errors.New("data file LIST names no files")
		}
		return nil
	}
	f := strings.Fields(val)
	if len(f) >= 4 && len(f) <= 5 && strings.Contains(f[0], "%") {
		var nums [4]int
		for i := 1; i < len(f); i++ {
			n, err := strconv.Atoi(f[i])
			if err != nil {
				return fmt.Errorf("data file pattern: bad number %q", f[i])
			}
			nums[i-1] = n
		}
		lo, hi, step := nums[0], nums[1], nums[2]
		if step == 0 || (hi-lo)*step < 0 {
			return fmt.Errorf("data file pattern: %d..%d cannot be reached by step %d", lo, hi, step)
		}
		if (hi-lo)/step >= maxNRRDFiles {
			return errors.New("data file pattern: too many files")
		}
		h.subdim = nums[3]
		verb, err := cIntVerb(f[0])
		if err != nil {
			return err
		}
		for i := lo; (step > 0 && i <= hi) || (step < 0 && i >= hi); i += step {
			h.dataFiles = append(h.dataFiles, fmt.Sprintf(verb, i))
		}
		return nil
	}
	if val == "" {
		return errors.New("empty data file name")
	}
	h.dataFiles = []string{val}
	return nil
}

// cIntVerb checks that a C printf pattern has exactly one %d-style
// conversion (flags and width allowed, %% escapes) and returns a Go format.
func cIntVerb(p string) (string, error) {
	n := 0
	for i := 0; i < len(p); i++ {
		if p[i] != '%' {
			continue
		}
		if i+1 < len(p) && p[i+1] == '%' {
			i++
			continue
		}
		j := i + 1
		for j < len(p) && strings.IndexByte("-+ 0#", p[j]) >= 0 {
			j++
		}
		for j < len(p) && p[j] >= '0' && p[j] <= '9' {
			j++
		}
		if j >= len(p) || (p[j] != 'd' && p[j] != 'i' && p[j] != 'u') {
			return "", fmt.Errorf("data file pattern %q: only %%d conversions are supported", p)
		}
		n++
		i = j
	}
	if n != 1 {
		return "", fmt.Errorf("data file pattern %q must have exactly one %%d", p)
	}
	p = strings.NewReplacer("%i", "%d", "%u", "%d").Replace(p)
	return p, nil
}

// parseBasics parses type and dimension.
func (h *nrrdHeader) parseBasics() error {
	ts, ok := h.fields["type"]
	if !ok {
		return errors.New("header has no \"type\" field")
	}
	t, ok := nrrdTypes[strings.ToLower(strings.Join(strings.Fields(ts), " "))]
	if !ok {
		if strings.EqualFold(ts, "block") {
			return errors.New("type \"block\" is not supported")
		}
		return fmt.Errorf("unsupported type %q", clip(ts))
	}
	h.typ, h.hasType = t, true
	ds, ok := h.fields["dimension"]
	if !ok {
		return errors.New("header has no \"dimension\" field")
	}
	d, err := strconv.Atoi(ds)
	if err != nil || d < 1 || d > 16 {
		return fmt.Errorf("bad dimension %q (want 1..16)", clip(ds))
	}
	h.dim = d
	if h.subdim > d {
		return fmt.Errorf("data file sub-dimension %d exceeds dimension %d", h.subdim, d)
	}
	return nil
}

// perAxis splits a per-axis field into exactly dim words.
func (h *nrrdHeader) perAxis(name string) ([]string, bool, error) {
	v, ok := h.fields[name]
	if !ok {
		return nil, false, nil
	}
	f := strings.Fields(v)
	if len(f) != h.dim {
		return nil, true, fmt.Errorf("%q has %d entries, dimension is %d", name, len(f), h.dim)
	}
	return f, true, nil
}

func (h *nrrdHeader) perAxisFloats(name string) ([]float64, bool, error) {
	f, ok, err := h.perAxis(name)
	if !ok || err != nil {
		return nil, ok, err
	}
	out := make([]float64, len(f))
	for i, s := range f {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, true, fmt.Errorf("%q: bad number %q", name, clip(s))
		}
		out[i] = v
	}
	return out, true, nil
}

// parseVector parses "(a,b,c)" with n components.
func parseVector(s string, n int) ([]float64, error) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '(' || s[len(s)-1] != ')' {
		return nil, fmt.Errorf("bad vector %q", clip(s))
	}
	parts := strings.Split(s[1:len(s)-1], ",")
	if len(parts) != n {
		return nil, fmt.Errorf("vector %q has %d components, space dimension is %d", clip(s), len(parts), n)
	}
	v := make([]float64, n)
	for i, p := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil {
			return nil, fmt.Errorf("vector %q: bad number %q", clip(s), clip(p))
		}
		v[i] = x
	}
	return v, nil
}

// splitVectors splits "space directions" into its per-axis words: "(..)"
// groups (which may contain blanks) and "none".
func splitVectors(s string) ([]string, error) {
	var out []string
	for {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			return out, nil
		}
		if s[0] == '(' {
			j := strings.IndexByte(s, ')')
			if j < 0 {
				return nil, fmt.Errorf("unterminated vector in %q", clip(s))
			}
			out = append(out, s[:j+1])
			s = s[j+1:]
			continue
		}
		j := strings.IndexAny(s, " \t")
		if j < 0 {
			j = len(s)
		}
		out = append(out, s[:j])
		s = s[j:]
	}
}

func isDomainKind(k string) bool {
	switch strings.ToLower(k) {
	case "domain", "space", "time", "none", "???", "":
		return true
	}
	return false
}

// geometry interprets sizes, kinds, space and per-axis fields as ITK does.
func (h *nrrdHeader) geometry() (volume.Geometry, int, error) {
	var g volume.Geometry
	sizesS, ok, err := h.perAxis("sizes")
	if err != nil {
		return g, 0, err
	}
	if !ok {
		return g, 0, errors.New("header has no \"sizes\" field")
	}
	sizes := make([]int64, h.dim)
	for i, s := range sizesS {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return g, 0, fmt.Errorf("sizes: bad size %q", clip(s))
		}
		sizes[i] = v
	}
	nvox, err := checkedProduct(sizes)
	if err != nil {
		return g, 0, err
	}
	kinds, _, err := h.perAxis("kinds")
	if err != nil {
		return g, 0, err
	}
	// Domain and range axes (teem's nrrdDomainAxesGet / nrrdRangeAxesGet).
	var domain []int
	for ax := 0; ax < h.dim; ax++ {
		if kinds == nil || isDomainKind(kinds[ax]) {
			domain = append(domain, ax)
			continue
		}
		if sizes[ax] != 1 {
			return g, 0, fmt.Errorf("axis %d has kind %q and %d components: vector images are not supported", ax, kinds[ax], sizes[ax])
		}
	}
	if h.dim-len(domain) > 1 {
		return g, 0, fmt.Errorf("%d non-spatial axes: not supported", h.dim-len(domain))
	}
	spaceDim := 0
	space := ""
	if s, ok := h.fields["space"]; ok {
		sp, ok := nrrdSpaces[strings.ToLower(s)]
		if !ok {
			return g, 0, fmt.Errorf("unknown space %q", clip(s))
		}
		space, spaceDim = sp.name, sp.dim
		if _, both := h.fields["space dimension"]; both {
			return g, 0, errors.New("both \"space\" and \"space dimension\" given")
		}
	} else if s, ok := h.fields["space dimension"]; ok {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 8 {
			return g, 0, fmt.Errorf("bad space dimension %q", clip(s))
		}
		spaceDim = n
	}
	if spaceDim > 0 && spaceDim != len(domain) {
		return g, 0, fmt.Errorf("%d spatial axes but a %d-dimensional space: not supported", len(domain), spaceDim)
	}
	// Drop size-1 domain axes beyond the third (without a space).
	for len(domain) > 3 {
		last := domain[len(domain)-1]
		if sizes[last] != 1 || spaceDim > 0 {
			return g, 0, fmt.Errorf("image has %d spatial axes (only 3D images are supported)", len(domain))
		}
		domain = domain[:len(domain)-1]
	}
	spacings, _, err := h.perAxisFloats("spacings")
	if err != nil {
		return g, 0, err
	}
	var dirs [][]float64
	if s, ok := h.fields["space directions"]; ok {
		if spaceDim == 0 {
			return g, 0, errors.New("\"space directions\" without a space")
		}
		words, err := splitVectors(s)
		if err != nil {
			return g, 0, err
		}
		if len(words) != h.dim {
			return g, 0, fmt.Errorf("space directions has %d entries, dimension is %d", len(words), h.dim)
		}
		dirs = make([][]float64, h.dim)
		for ax, w := range words {
			if strings.EqualFold(w, "none") {
				continue
			}
			v, err := parseVector(w, spaceDim)
			if err != nil {
				return g, 0, fmt.Errorf("space directions: %w", err)
			}
			dirs[ax] = v
		}
	}
	g.Size = [3]int{1, 1, 1}
	g.Spacing = [3]float64{1, 1, 1}
	g.Direction = volume.Identity
	for a, ax := range domain {
		g.Size[a] = int(sizes[ax])
		switch {
		case spacings != nil && !math.IsNaN(spacings[ax]):
			if spaceDim > 0 {
				return g, 0, fmt.Errorf("axis %d has both a space and a scalar spacing (ITK: nrrdSpacingStatusScalarWithSpace)", ax)
			}
			g.Spacing[a] = spacings[ax]
		case spaceDim > 0 && dirs != nil && dirs[ax] != nil && allFinite(dirs[ax]):
			v := dirs[ax]
			nn := 0.0
			for _, x := range v {
				nn = nn + float64(x*x)
			}
			sp := math.Sqrt(nn)
			if sp == 0 {
				return g, 0, fmt.Errorf("axis %d has a zero space direction", ax)
			}
			inv := 1.0 / sp
			var d [3]float64
			for i := range v {
				d[i] = inv * v[i]
			}
			switch space {
			case "RAS":
				d[0], d[1] = -d[0], -d[1]
			case "LAS":
				d[0] = -d[0]
			}
			g.Spacing[a] = sp
			for i := 0; i < 3; i++ {
				g.Direction[i][a] = d[i]
			}
		}
	}
	// Origin.
	if spaceDim > 0 {
		if s, ok := h.fields["space origin"]; ok {
			v, err := parseVector(s, spaceDim)
			if err != nil {
				return g, 0, fmt.Errorf("space origin: %w", err)
			}
			if !math.IsNaN(v[0]) {
				switch space {
				case "RAS":
					v[0], v[1] = -v[0], -v[1]
				case "LAS":
					v[0] = -v[0]
				}
				copy(g.Origin[:], v)
			}
		}
	} else if err := h.originFromMins(&g, domain, sizes, spacings); err != nil {
		return g, 0, err
	}
	for a := 0; a < 3; a++ {
		if !(g.Spacing[a] > 0) || math.IsInf(g.Spacing[a], 0) {
			return g, 0, fmt.Errorf("spacing %v: must be positive and finite", g.Spacing)
		}
		if math.IsNaN(g.Origin[a]) || math.IsInf(g.Origin[a], 0) {
			return g, 0, fmt.Errorf("origin %v: must be finite", g.Origin)
		}
		for k := 0; k < 3; k++ {
			if math.IsNaN(g.Direction[a][k]) || math.IsInf(g.Direction[a][k], 0) {
				return g, 0, fmt.Errorf("direction %v: must be finite", g.Direction)
			}
		}
	}
	return g, nvox, nil
}

func allFinite(v []float64) bool {
	for _, x := range v {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// originFromMins is teem's nrrdOriginCalculate with cell centring by
// default: origin = min + spacing/2 (cell) or min (node), spacing from
// "spacings" or (max-min)/(size or size-1). Like teem it only checks that
// the first axis has a min.
func (h *nrrdHeader) originFromMins(g *volume.Geometry, domain []int, sizes []int64, spacings []float64) error {
	mins, _, err := h.perAxisFloats("axis mins")
	if err != nil || mins == nil {
		return err
	}
	maxs, _, err := h.perAxisFloats("axis maxs")
	if err != nil {
		return err
	}
	centers, _, err := h.perAxis("centers")
	if err != nil {
		return err
	}
	if len(domain) == 0 || math.IsNaN(mins[domain[0]]) {
		return nil
	}
	for _, ax := range domain {
		hasMax := maxs != nil && !math.IsNaN(maxs[ax])
		hasSp := spacings != nil && !math.IsNaN(spacings[ax])
		if !hasMax && !hasSp {
			return nil
		}
	}
	for a, ax := range domain {
		cell := true
		if centers != nil && strings.EqualFold(centers[ax], "node") {
			cell = false
		}
		denom := float64(sizes[ax])
		if !cell {
			denom = float64(sizes[ax] - 1)
		}
		var sp float64
		if spacings != nil && !math.IsNaN(spacings[ax]) {
			sp = spacings[ax]
		} else {
			sp = (maxs[ax] - mins[ax]) / denom
		}
		o := mins[ax]
		if cell {
			o = o + sp/2
		}
		g.Origin[a] = o
	}
	return nil
}

func (h *nrrdHeader) encoding() (string, error) {
	e, ok := h.fields["encoding"]
	if !ok {
		return "", errors.New("header has no \"encoding\" field")
	}
	switch strings.ToLower(e) {
	case "raw":
		return "raw", nil
	case "gz", "gzip":
		return "gzip", nil
	case "bz2", "bzip2":
		return "bzip2", nil
	case "txt", "text", "ascii":
		return "ascii", nil
	case "hex":
		return "hex", nil
	}
	return "", fmt.Errorf("unsupported encoding %q", clip(e))
}

func (h *nrrdHeader) endian(enc string) (bool, error) {
	e, ok := h.fields["endian"]
	if !ok {
		if typeBytes(h.typ) > 1 && enc != "ascii" {
			return false, fmt.Errorf("type %v with %s encoding needs an \"endian\" field", h.typ, enc)
		}
		return false, nil
	}
	switch strings.ToLower(e) {
	case "little":
		return false, nil
	case "big":
		return true, nil
	}
	return false, fmt.Errorf("bad endian %q", clip(e))
}

func (h *nrrdHeader) skips() (lineSkip, byteSkip int64, err error) {
	if s, ok := h.fields["line skip"]; ok {
		if lineSkip, err = strconv.ParseInt(s, 10, 64); err != nil || lineSkip < 0 {
			return 0, 0, fmt.Errorf("bad line skip %q", clip(s))
		}
	}
	if s, ok := h.fields["byte skip"]; ok {
		if byteSkip, err = strconv.ParseInt(s, 10, 64); err != nil || byteSkip < math.MinInt64/2 {
			return 0, 0, fmt.Errorf("bad byte skip %q", clip(s))
		}
	}
	return lineSkip, byteSkip, nil
}

// EncodeNRRD writes im to w as an attached-header NRRD0004 with gzip
// encoding, little-endian data, space left-posterior-superior, "space
// directions" = direction column * spacing and "space origin", all written
// as shortest round-trip doubles (strconv 'g', -1). Values the pixel type
// cannot hold are an error.
func EncodeNRRD(w io.Writer, im *volume.Image) error {
	return encodeNRRD(w, im, nil)
}

// encodeNRRD is EncodeNRRD with optional header text: a non-empty
// Description is written as the "content:" field, a non-empty AuxFile and
// IntentName as the key/value pairs "aux_file:=" and "intent_name:=" (nil
// or empty: EncodeNRRD's bytes). The caller has checked opt.
func encodeNRRD(w io.Writer, im *volume.Image, opt *WriteOptions) error {
	if err := checkImage(im); err != nil {
		return err
	}
	if err := checkSamples(im.Data, im.Type); err != nil {
		return err
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }
	var b bytes.Buffer
	b.WriteString("NRRD0004\n# Complete NRRD file format specification at:\n# http://teem.sourceforge.net/nrrd/format.html\n")
	if opt != nil && opt.Description != "" {
		fmt.Fprintf(&b, "content: %s\n", opt.Description)
	}
	fmt.Fprintf(&b, "type: %s\ndimension: 3\nspace: left-posterior-superior\n", nrrdTypeNames[im.Type])
	fmt.Fprintf(&b, "sizes: %d %d %d\nspace directions:", im.Size[0], im.Size[1], im.Size[2])
	for k := 0; k < 3; k++ {
		fmt.Fprintf(&b, " (%s,%s,%s)", f(im.Direction[0][k]*im.Spacing[k]), f(im.Direction[1][k]*im.Spacing[k]), f(im.Direction[2][k]*im.Spacing[k]))
	}
	fmt.Fprintf(&b, "\nkinds: domain domain domain\nendian: little\nencoding: gzip\nspace origin: (%s,%s,%s)\n\n",
		f(im.Origin[0]), f(im.Origin[1]), f(im.Origin[2]))
	if opt != nil && (opt.AuxFile != "" || opt.IntentName != "") {
		// Key/value pairs go before the blank line that ends the header.
		b.Truncate(b.Len() - 1)
		if opt.AuxFile != "" {
			fmt.Fprintf(&b, "aux_file:=%s\n", opt.AuxFile)
		}
		if opt.IntentName != "" {
			fmt.Fprintf(&b, "intent_name:=%s\n", opt.IntentName)
		}
		b.WriteString("\n")
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return err
	}
	if err := writeSamples(zw, im.Data, im.Type, binary.LittleEndian); err != nil {
		return err
	}
	return zw.Close()
}
