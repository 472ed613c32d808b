package imageio

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"os"
	"strings"

	"github.com/spinerad/spinerad/internal/volume"
)

// NIfTI header sizes (sizeof_hdr) of the two versions.
const (
	nifti1HeaderSize = 348
	nifti2HeaderSize = 540
)

// NIfTI datatype codes (nifti1.h).
const (
	dtUInt8      = 2
	dtInt16      = 4
	dtInt32      = 8
	dtFloat32    = 16
	dtComplex64  = 32
	dtFloat64    = 64
	dtRGB24      = 128
	dtInt8       = 256
	dtUInt16     = 512
	dtUInt32     = 768
	dtInt64      = 1024
	dtUInt64     = 1280
	dtFloat128   = 1536
	dtComplex128 = 1792
	dtComplex256 = 2048
	dtRGBA32     = 2304
)

var niftiTypes = map[int]volume.PixelType{
	dtUInt8: volume.UInt8, dtInt16: volume.Int16, dtInt32: volume.Int32, dtFloat32: volume.Float32,
	dtFloat64: volume.Float64, dtInt8: volume.Int8, dtUInt16: volume.UInt16, dtUInt32: volume.UInt32,
	dtInt64: volume.Int64, dtUInt64: volume.UInt64,
}

var niftiTypeNames = map[int]string{
	1: "binary", dtComplex64: "complex64", dtRGB24: "RGB24", dtFloat128: "float128",
	dtComplex128: "complex128", dtComplex256: "complex256", dtRGBA32: "RGBA32",
}

// niftiHeader holds the fields of a NIfTI-1 or NIfTI-2 header that matter
// here, widened to int64/float64 (NIfTI-1 float32 fields keep their float32
// values exactly).
type niftiHeader struct {
	version    int  // 1 or 2
	bigEndian  bool // header and data byte order
	onefile    bool // magic n+1/n+2 (data in the same file) versus ni1/ni2
	dim        [8]int64
	datatype   int
	pixdim     [8]float64
	voxOffset  float64
	sclSlope   float64
	sclInter   float64
	qformCode  int
	sformCode  int
	quatern    [3]float64 // b, c, d
	qoffset    [3]float64
	srow       [3][4]float64
	xyztUnits  int
	intentCode int
}

// DecodeNIfTI decodes a single-file NIfTI-1 or NIfTI-2 image (magic n+1 or
// n+2, either byte order, optionally gzip-compressed) from r, with the
// geometry, pixel type and values ITK 5.2's NiftiImageIO gives:
//
//   - spacing = pixdim[1..3] (0 or non-finite replaced by 1 as niftilib does),
//     scaled by xyzt_units (metre x1000, micron x0.001); negative pixdim is
//     an error;
//   - origin and direction from the sform or qform chosen by ITK's rules
//     (NiftiImageIO::SetImageIOOrientationFromNIfTI): the sform when it agrees
//     with the qform, or when it is orthonormal with scales matching pixdim and
//     either the qform is absent or sform_code is SCANNER_ANAT; otherwise the
//     qform; identity and zero origin when neither is set. RAS is converted to
//     LPS by negating x and y, and each direction column is normalised;
//   - scl_slope/scl_inter applied when the slope is non-zero and (slope,
//     inter) differs from (1, 0); integer data then become float32 as in ITK
//     (value = float32(double(float32(raw))*slope + inter)), float data keep
//     their type. Otherwise the stored values are returned unchanged.
//
// NIfTI-1 matrices are computed in float32 as niftilib does (the quaternion
// with its long-double intermediate steps emulated exactly). ITK 5.2 cannot
// read NIfTI-2; for it the same rules are applied in double precision.
// Images with more than 3 non-unit dimensions, complex, RGB and vector data
// are refused.
func DecodeNIfTI(r io.Reader) (*volume.Image, error) {
	avail := int64(-1)
	if l, ok := r.(interface{ Len() int }); ok {
		avail = int64(l.Len())
	}
	br, ok := r.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(r, 1<<16)
	}
	im, err := decodeNIfTI(br, avail)
	if err != nil {
		return nil, fmt.Errorf("nifti: %w", err)
	}
	return im, nil
}

// decodeNIfTI decodes a single-file NIfTI from br; size is the stored byte
// count of the stream when known (-1 otherwise).
func decodeNIfTI(br *bufio.Reader, size int64) (*volume.Image, error) {
	r, gz, err := gunzipMaybe(br)
	if err != nil {
		return nil, err
	}
	avail := size
	if gz {
		avail = -1
	}
	h, hdrLen, err := readNIfTIHeader(r, avail)
	if err != nil {
		return nil, err
	}
	if !h.onefile {
		return nil, errors.New("header magic says the data are in a separate .img file (use the .hdr file name)")
	}
	im, nbytes, err := h.prepare()
	if err != nil {
		return nil, err
	}
	ioff := int64(h.voxOffset)
	if ioff < hdrLen {
		ioff = hdrLen
	}
	if avail >= 0 && ioff > avail {
		return nil, fmt.Errorf("truncated: vox_offset %d beyond the end of the file (%d bytes)", ioff, avail)
	}
	if skip := ioff - hdrLen; skip > 0 {
		if n, err := io.CopyN(io.Discard, r, skip); err != nil {
			return nil, readErr(err, "header extension", skip, n)
		}
	}
	if avail >= 0 {
		avail -= ioff
	}
	if gz && size >= 0 && !gzipCanHold(size, ioff+nbytes) {
		return nil, fmt.Errorf("image data truncated: need %d bytes, a %d-byte gzip file cannot hold them", nbytes, size)
	}
	if err := h.readData(r, im, nbytes, avail, size >= 0); err != nil {
		return nil, err
	}
	if gz {
		if err := checkGzipEnd(r); err != nil {
			return nil, err
		}
	}
	return im, nil
}

// readData reads and converts the voxel values and applies the scaling.
// With bounded set, the stream is known to be able to hold the data, so the
// output is allocated up front and filled while reading.
func (h *niftiHeader) readData(r io.Reader, im *volume.Image, nbytes, avail int64, bounded bool) error {
	if avail >= 0 && avail < nbytes {
		return fmt.Errorf("image data truncated: need %d bytes, only %d available", nbytes, avail)
	}
	if bounded {
		im.Data = make([]float64, im.NumVoxels())
		if err := readSamples(r, im.Data, im.Type, h.bigEndian, "image data"); err != nil {
			return err
		}
	} else {
		raw, err := readN(r, nbytes, avail, "image data")
		if err != nil {
			return err
		}
		im.Data = make([]float64, im.NumVoxels())
		decodeSamples(im.Data, raw, im.Type, h.bigEndian)
	}
	h.rescale(im)
	return nil
}

// readNIfTIPair reads a .hdr/.img pair (magic ni1 or ni2); the data file is
// the .img (or .img.gz) next to the header.
func readNIfTIPair(path string) (*volume.Image, error) {
	f, size, err := openSized(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, _, err := readNIfTIHeader(bufio.NewReader(f), size)
	if err != nil {
		return nil, err
	}
	if h.onefile {
		return nil, errors.New("header magic says the data follow the header in the same file, but this is a .hdr file")
	}
	im, nbytes, err := h.prepare()
	if err != nil {
		return nil, err
	}
	base := path[:len(path)-len(".hdr")]
	img := base + ".img"
	if strings.HasSuffix(path, ".HDR") {
		img = base + ".IMG"
	}
	df, err := os.Open(img)
	if err != nil {
		var gerr error
		df, gerr = os.Open(img + ".gz")
		if gerr != nil {
			return nil, fmt.Errorf("data file: %w", err)
		}
	}
	defer df.Close()
	dst, err := df.Stat()
	if err != nil {
		return nil, err
	}
	dbr := bufio.NewReaderSize(df, 1<<20)
	r, gz, err := gunzipMaybe(dbr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", df.Name(), err)
	}
	avail := dst.Size()
	if gz {
		avail = -1
	}
	ioff := int64(h.voxOffset)
	if ioff < 0 {
		ioff = 0
	}
	if avail >= 0 && ioff > avail {
		return nil, fmt.Errorf("%s: truncated: vox_offset %d beyond the end of the file", df.Name(), ioff)
	}
	if ioff > 0 {
		if n, err := io.CopyN(io.Discard, r, ioff); err != nil {
			return nil, fmt.Errorf("%s: %w", df.Name(), readErr(err, "data offset", ioff, n))
		}
		if avail >= 0 {
			avail -= ioff
		}
	}
	if gz && !gzipCanHold(dst.Size(), ioff+nbytes) {
		return nil, fmt.Errorf("%s: image data truncated: need %d bytes, a %d-byte gzip file cannot hold them", df.Name(), nbytes, dst.Size())
	}
	if err := h.readData(r, im, nbytes, avail, true); err != nil {
		return nil, fmt.Errorf("%s: %w", df.Name(), err)
	}
	if gz {
		if err := checkGzipEnd(r); err != nil {
			return nil, fmt.Errorf("%s: %w", df.Name(), err)
		}
	}
	return im, nil
}

// readNIfTIHeader reads and parses the header; it returns the header length.
func readNIfTIHeader(r io.Reader, avail int64) (*niftiHeader, int64, error) {
	if avail >= 0 && avail < nifti1HeaderSize {
		return nil, 0, fmt.Errorf("truncated header: file has %d bytes, a NIfTI header needs %d", avail, nifti1HeaderSize)
	}
	b := make([]byte, nifti2HeaderSize)
	if n, err := io.ReadFull(r, b[:nifti1HeaderSize]); err != nil {
		return nil, 0, readErr(err, "header", nifti1HeaderSize, int64(n))
	}
	le, be := binary.LittleEndian.Uint32(b), binary.BigEndian.Uint32(b)
	switch {
	case le == nifti1HeaderSize || be == nifti1HeaderSize:
		h, err := parseNIfTI1(b[:nifti1HeaderSize], be == nifti1HeaderSize)
		return h, nifti1HeaderSize, err
	case le == nifti2HeaderSize || be == nifti2HeaderSize:
		if avail >= 0 && avail < nifti2HeaderSize {
			return nil, 0, fmt.Errorf("truncated header: file has %d bytes, a NIfTI-2 header needs %d", avail, nifti2HeaderSize)
		}
		if n, err := io.ReadFull(r, b[nifti1HeaderSize:]); err != nil {
			return nil, 0, readErr(err, "NIfTI-2 header", nifti2HeaderSize, int64(nifti1HeaderSize+n))
		}
		h, err := parseNIfTI2(b, be == nifti2HeaderSize)
		return h, nifti2HeaderSize, err
	}
	return nil, 0, fmt.Errorf("bad magic: sizeof_hdr is %d, want 348 (NIfTI-1) or 540 (NIfTI-2); not a NIfTI file", int32(le))
}

func parseNIfTI1(b []byte, bigEndian bool) (*niftiHeader, error) {
	var o binary.ByteOrder = binary.LittleEndian
	if bigEndian {
		o = binary.BigEndian
	}
	m := b[344:348]
	if m[0] != 'n' || (m[1] != '+' && m[1] != 'i') || m[2] != '1' || m[3] != 0 {
		return nil, fmt.Errorf("bad magic %q: not a NIfTI-1 file (Analyze 7.5 is not supported)", m)
	}
	f32 := func(off int) float64 { return float64(math.Float32frombits(o.Uint32(b[off:]))) }
	i16 := func(off int) int64 { return int64(int16(o.Uint16(b[off:]))) }
	h := &niftiHeader{version: 1, bigEndian: bigEndian, onefile: m[1] == '+'}
	for i := 0; i < 8; i++ {
		h.dim[i] = i16(40 + 2*i)
		h.pixdim[i] = f32(76 + 4*i)
	}
	h.intentCode = int(i16(68))
	h.datatype = int(i16(70))
	h.voxOffset = f32(108)
	h.sclSlope = f32(112)
	h.sclInter = f32(116)
	h.xyztUnits = int(b[123])
	h.qformCode = int(i16(252))
	h.sformCode = int(i16(254))
	for i := 0; i < 3; i++ {
		h.quatern[i] = f32(256 + 4*i)
		h.qoffset[i] = f32(268 + 4*i)
		for k := 0; k < 4; k++ {
			h.srow[i][k] = f32(280 + 16*i + 4*k)
		}
	}
	return h, nil
}

func parseNIfTI2(b []byte, bigEndian bool) (*niftiHeader, error) {
	var o binary.ByteOrder = binary.LittleEndian
	if bigEndian {
		o = binary.BigEndian
	}
	m := b[4:12]
	if m[0] != 'n' || (m[1] != '+' && m[1] != 'i') || m[2] != '2' || m[3] != 0 {
		return nil, fmt.Errorf("bad magic %q: not a NIfTI-2 file", m[:4])
	}
	f64 := func(off int) float64 { return math.Float64frombits(o.Uint64(b[off:])) }
	i64 := func(off int) int64 { return int64(o.Uint64(b[off:])) }
	i32 := func(off int) int { return int(int32(o.Uint32(b[off:]))) }
	h := &niftiHeader{version: 2, bigEndian: bigEndian, onefile: m[1] == '+'}
	h.datatype = int(int16(o.Uint16(b[12:])))
	for i := 0; i < 8; i++ {
		h.dim[i] = i64(16 + 8*i)
		h.pixdim[i] = f64(104 + 8*i)
	}
	h.voxOffset = float64(i64(168))
	h.sclSlope = f64(176)
	h.sclInter = f64(184)
	h.qformCode = i32(344)
	h.sformCode = i32(348)
	for i := 0; i < 3; i++ {
		h.quatern[i] = f64(352 + 8*i)
		h.qoffset[i] = f64(376 + 8*i)
		for k := 0; k < 4; k++ {
			h.srow[i][k] = f64(400 + 32*i + 8*k)
		}
	}
	h.xyztUnits = i32(500)
	h.intentCode = i32(504)
	return h, nil
}

// fixedFloat is niftilib's FIXED_FLOAT: non-finite values become 0.
func fixedFloat(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// prepare validates the header and returns an image with its geometry and
// pixel type set (data not yet allocated) and the number of data bytes.
func (h *niftiHeader) prepare() (*volume.Image, int64, error) {
	nd := h.dim[0]
	if nd < 1 || nd > 7 {
		return nil, 0, fmt.Errorf("bad dim[0] = %d (want 1..7)", nd)
	}
	for i := int64(1); i <= nd; i++ {
		if h.dim[i] <= 0 {
			return nil, 0, fmt.Errorf("dim[%d] = %d: dimensions must be positive", i, h.dim[i])
		}
	}
	if _, err := checkedProduct(h.dim[1 : nd+1]); err != nil {
		return nil, 0, err
	}
	if h.intentCode == 1004 {
		return nil, 0, errors.New("intent GENMATRIX is not supported")
	}
	// ITK drops trailing unit dimensions above the third.
	realdim := nd
	for realdim > 3 && h.dim[realdim] == 1 {
		realdim--
	}
	if realdim > 3 {
		return nil, 0, fmt.Errorf("image has %d dimensions %v (only 3D scalar images are supported)", realdim, h.dim[1:realdim+1])
	}
	t, ok := niftiTypes[h.datatype]
	if !ok {
		name := niftiTypeNames[h.datatype]
		if name == "" {
			name = "unknown"
		}
		return nil, 0, fmt.Errorf("unsupported datatype %d (%s); only scalar integer and float32/float64 data are supported", h.datatype, name)
	}
	// niftilib replaces zero or non-finite pixdim[1..dim[0]] by 1.
	pix := h.pixdim
	for i := int64(1); i <= nd; i++ {
		if pix[i] == 0 || math.IsNaN(pix[i]) || math.IsInf(pix[i], 0) {
			pix[i] = 1
		}
	}
	dims := int(realdim)
	var g volume.Geometry
	g.Size = [3]int{1, 1, 1}
	g.Spacing = [3]float64{1, 1, 1}
	g.Direction = volume.Identity
	scale := 1.0
	switch h.xyztUnits & 7 {
	case 1:
		scale = 1e3
	case 3:
		scale = 1e-3
	}
	for i := 0; i < dims; i++ {
		g.Size[i] = int(h.dim[i+1])
		if pix[i+1] < 0 {
			return nil, 0, fmt.Errorf("negative pixdim[%d] = %v is not supported", i+1, pix[i+1])
		}
		g.Spacing[i] = pix[i+1] * scale
	}
	m, ok, err := h.itkMatrix(pix)
	if err != nil {
		return nil, 0, err
	}
	if ok {
		if dims > 0 {
			g.Origin[0] = -m[0][3]
		}
		if dims > 1 {
			g.Origin[1] = -m[1][3]
		}
		if dims > 2 {
			g.Origin[2] = m[2][3]
		}
		// ITK: direction column k = normalised (-m[0][k], -m[1][k], m[2][k])
		// restricted to the first dims components; the reader pads the rest.
		for k := 0; k < dims; k++ {
			var v [3]float64
			sum := 0.0
			for i := 0; i < dims; i++ {
				v[i] = m[i][k]
				if i < 2 {
					v[i] = -v[i]
				}
				sum = sum + float64(v[i]*v[i])
			}
			if sum != 0 {
				sum = math.Sqrt(sum)
				for i := 0; i < dims; i++ {
					v[i] = v[i] / sum
				}
			}
			for i := 0; i < 3; i++ {
				g.Direction[i][k] = v[i]
			}
			for i := dims; i < 3; i++ {
				g.Direction[i][k] = 0
			}
		}
	}
	n := g.NumVoxels()
	if n > MaxVoxels {
		return nil, 0, fmt.Errorf("image of %v voxels exceeds the limit of %d", g.Size, MaxVoxels)
	}
	nbytes := int64(n) * int64(typeBytes(t))
	im := &volume.Image{Geometry: g, Type: t}
	return im, nbytes, nil
}

// rescale applies ITK's scl_slope/scl_inter rule to the decoded values.
func (h *niftiHeader) rescale(im *volume.Image) {
	t := im.Type
	const eps = 2.220446049250313e-16
	slope, inter := fixedFloat(h.sclSlope), fixedFloat(h.sclInter)
	if math.Abs(slope) < eps {
		slope = 1
	}
	if !(math.Abs(slope) > eps && (math.Abs(slope-1) > eps || math.Abs(inter) > eps)) {
		return
	}
	d := im.Data
	switch {
	case t == volume.Float64:
		for i, v := range d {
			d[i] = float64(v*slope) + inter
		}
	default:
		// Integer data are first cast to float32 (ITK's CastCopy), then
		// rescaled in double and stored as float32.
		for i, v := range d {
			d[i] = float64(float32(float64(float64(float32(v))*slope) + inter))
		}
		im.Type = volume.Float32
	}
}

// ---------------------------------------------------------------------------
// Orientation, as niftilib + ITK 5.2 compute it.

type mat44 [4][4]float64

// itkMatrix returns the 4x4 matrix ITK takes the origin and direction from;
// ok is false when neither qform nor sform is set (identity direction, zero
// origin).
func (h *niftiHeader) itkMatrix(pix [8]float64) (mat44, bool, error) {
	single := h.version == 1
	dx, dy, dz := pix[1], pix[2], pix[3]
	qcode, scode := h.qformCode, h.sformCode
	if qcode < 0 {
		qcode = 0
	}
	if scode < 0 {
		scode = 0
	}
	if qcode == 0 && scode == 0 {
		return mat44{}, false, nil
	}
	var q, s mat44
	if qcode == 0 {
		q[0][0], q[1][1], q[2][2], q[3][3] = dx, dy, dz, 1
	} else {
		qfac := 1.0
		if h.pixdim[0] < 0 {
			qfac = -1
		}
		q = quaternToMat44(fixedFloat(h.quatern[0]), fixedFloat(h.quatern[1]), fixedFloat(h.quatern[2]),
			fixedFloat(h.qoffset[0]), fixedFloat(h.qoffset[1]), fixedFloat(h.qoffset[2]), dx, dy, dz, qfac, single)
	}
	if scode != 0 {
		for i := 0; i < 3; i++ {
			for k := 0; k < 4; k++ {
				s[i][k] = h.srow[i][k]
			}
		}
		s[3][3] = 1
	}
	// 1. qform and sform nearly equal element by element.
	similar := func() bool {
		for i := 0; i < 3; i++ {
			for k := 0; k < 3; k++ {
				if math.Abs(s[i][k]-q[i][k]) > 1e-5 {
					return false
				}
			}
		}
		t, b := 0.0, 0.0
		for i := 0; i < 4; i++ {
			t += math.Abs(s[i][3] - q[i][3])
			b += math.Abs(s[3][i] - q[3][i])
		}
		return t <= 1e-7 && b <= 1e-7
	}()
	prefer := similar
	if !prefer || scode != 0 {
		if sformDecomposable(s, dx, dy, dz) {
			switch {
			case qcode == 0 && scode != 0:
				prefer = true
			case scode == 1: // NIFTI_XFORM_SCANNER_ANAT
				prefer = true
			case qcode != 0 && scode != 0:
				// ITK tests sform*transpose(qform) (4x4, translations
				// included) against the identity.
				prefer = true
				for i := 0; i < 4 && prefer; i++ {
					for j := 0; j < 4; j++ {
						v := 0.0
						for k := 0; k < 4; k++ {
							v += s[i][k] * q[j][k]
						}
						want := 0.0
						if i == j {
							want = 1
						}
						if math.Abs(v-want) > 1e-4 {
							prefer = false
							break
						}
					}
				}
			}
		}
	}
	if prefer {
		return s, true, nil
	}
	if qcode != 0 {
		return q, true, nil
	}
	return mat44{}, false, errors.New("sform is not orthonormal and there is no qform (ITK: only orthonormal direction cosines are supported)")
}

// sformDecomposable is ITK's "sform decomposable without skew" test: an
// invertible affine matrix whose column norms match pixdim within 1e-3 and
// whose normalised columns are orthonormal within 1e-4. (ITK evaluates it in
// float32 and also compares two SVD-based inverses within 1e-2; here it is
// evaluated in float64, which can differ only at the thresholds.)
func sformDecomposable(s mat44, dx, dy, dz float64) bool {
	if math.Abs(s[3][3]-1)+math.Abs(s[3][0])+math.Abs(s[3][1])+math.Abs(s[3][2]) > 1.1920929e-07 {
		return false
	}
	det := s[0][0]*(s[1][1]*s[2][2]-s[1][2]*s[2][1]) -
		s[0][1]*(s[1][0]*s[2][2]-s[1][2]*s[2][0]) +
		s[0][2]*(s[1][0]*s[2][1]-s[1][1]*s[2][0])
	if !(math.Abs(det) > 1e-5) {
		return false
	}
	var r [3][3]float64
	d := [3]float64{dx, dy, dz}
	for k := 0; k < 3; k++ {
		n := math.Sqrt(s[0][k]*s[0][k] + s[1][k]*s[1][k] + s[2][k]*s[2][k])
		if !(math.Abs(d[k]-n) <= 1e-3) {
			return false
		}
		for i := 0; i < 3; i++ {
			r[i][k] = s[i][k] / n
		}
	}
	for i := 0; i < 3; i++ {
		for j := 0; j < 3; j++ {
			v := r[i][0]*r[j][0] + r[i][1]*r[j][1] + r[i][2]*r[j][2]
			want := 0.0
			if i == j {
				want = 1
			}
			if !(math.Abs(v-want) <= 1e-4) {
				return false
			}
		}
	}
	return true
}

// ld80 is an 80-bit x87 long double (64-bit significand), as used by
// niftilib's nifti_quatern_to_mat44 on x86-64 for some intermediate steps.
func ld80() *big.Float { return new(big.Float).SetPrec(64).SetMode(big.ToNearestEven) }

// ld1e7 is the long double nearest to 1e-7 (the literal 1.e-7l).
var ld1e7, _, _ = big.ParseFloat("1e-7", 10, 64, big.ToNearestEven)

// quaternToMat44 is niftilib's nifti_quatern_to_mat44: the qform matrix
// from quaternion (b, c, d), offsets and voxel sizes, with the same mix of
// double, long double and float roundings (single: entries rounded to
// float32 as in NIfTI-1's mat44; otherwise kept as doubles).
func quaternToMat44(b, c, d, qx, qy, qz, dx, dy, dz, qfac float64, single bool) mat44 {
	var r mat44
	out := func(x float64) float64 {
		if single {
			return float64(float32(x))
		}
		return x
	}
	outLD := func(x *big.Float) float64 {
		if single {
			f, _ := x.Float32()
			return float64(f)
		}
		f, _ := x.Float64()
		return f
	}
	r[3][3] = 1
	t := float64(float64(b*b)+float64(c*c)) + float64(d*d)
	// a = 1.0L - t, rounded to long double, then stored in a double.
	a, _ := ld80().Sub(big.NewFloat(1), big.NewFloat(t)).Float64()
	if big.NewFloat(a).Cmp(ld1e7) < 0 {
		s := math.Sqrt(t)
		a, _ = ld80().Quo(big.NewFloat(1), big.NewFloat(s)).Float64()
		b, c, d = b*a, c*a, d*a
		a = 0
	} else {
		a = math.Sqrt(a)
	}
	xd, yd, zd := 1.0, 1.0, 1.0
	if dx > 0 {
		xd = dx
	}
	if dy > 0 {
		yd = dy
	}
	if dz > 0 {
		zd = dz
	}
	if qfac < 0 {
		zd = -zd
	}
	aa, bb, cc, dd := float64(a*a), float64(b*b), float64(c*c), float64(d*d)
	// 2.0L * (u) * w: u in double, the product in long double.
	off := func(u, w float64) float64 {
		return outLD(ld80().Mul(big.NewFloat(2*u), big.NewFloat(w)))
	}
	r[0][0] = out(float64(float64(float64(aa+bb)-cc)-dd) * xd)
	r[0][1] = off(float64(b*c)-float64(a*d), yd)
	r[0][2] = off(float64(b*d)+float64(a*c), zd)
	r[1][0] = off(float64(b*c)+float64(a*d), xd)
	r[1][1] = out(float64(float64(float64(aa+cc)-bb)-dd) * yd)
	r[1][2] = off(float64(c*d)-float64(a*b), zd)
	r[2][0] = off(float64(b*d)-float64(a*c), xd)
	r[2][1] = off(float64(c*d)+float64(a*b), yd)
	r[2][2] = out(float64(float64(float64(aa+dd)-cc)-bb) * zd)
	r[0][3], r[1][3], r[2][3] = qx, qy, qz
	return r
}

// ---------------------------------------------------------------------------
// Writing.

var niftiCodes = map[volume.PixelType][2]int{ // datatype, bitpix
	volume.Int8: {dtInt8, 8}, volume.UInt8: {dtUInt8, 8}, volume.Int16: {dtInt16, 16},
	volume.UInt16: {dtUInt16, 16}, volume.Int32: {dtInt32, 32}, volume.UInt32: {dtUInt32, 32},
	volume.Int64: {dtInt64, 64}, volume.UInt64: {dtUInt64, 64}, volume.Float32: {dtFloat32, 32},
	volume.Float64: {dtFloat64, 64},
}

// EncodeNIfTI writes im as an uncompressed little-endian single-file
// NIfTI-1 (.nii) to w: datatype from im.Type, pixdim = float32 spacing, and
// both sform and qform (codes SCANNER_ANAT) from direction*spacing and the
// origin, converted from LPS to RAS, as ITK's writer does. Values the pixel
// type cannot hold are an error.
func EncodeNIfTI(w io.Writer, im *volume.Image) error {
	return encodeNIfTI(w, im, 1, false)
}

// encodeNIfTI writes a NIfTI-1 or NIfTI-2 single file in either byte order.
func encodeNIfTI(w io.Writer, im *volume.Image, version int, bigEndian bool) error {
	return encodeNIfTIOpt(w, im, version, bigEndian, nil)
}

// encodeNIfTIOpt is encodeNIfTI with optional header text (nil: the
// default description "spinerad" and empty aux_file and intent_name). The
// caller has checked opt.
func encodeNIfTIOpt(w io.Writer, im *volume.Image, version int, bigEndian bool, opt *WriteOptions) error {
	if err := checkImage(im); err != nil {
		return err
	}
	if err := checkSamples(im.Data, im.Type); err != nil {
		return err
	}
	var o binary.ByteOrder = binary.LittleEndian
	if bigEndian {
		o = binary.BigEndian
	}
	code := niftiCodes[im.Type]
	// RAS matrix: rows x and y negated.
	var m [3][4]float64
	sg := [3]float64{-1, -1, 1}
	for i := 0; i < 3; i++ {
		for k := 0; k < 3; k++ {
			m[i][k] = sg[i] * im.Direction[i][k] * im.Spacing[k]
		}
		m[i][3] = sg[i] * im.Origin[i]
	}
	qb, qc, qd, qfac := matToQuatern(im.Direction, sg)
	var hdr []byte
	if version == 1 {
		hdr = make([]byte, nifti1HeaderSize+4)
		p16 := func(off int, v int) { o.PutUint16(hdr[off:], uint16(int16(v))) }
		pf := func(off int, v float64) { o.PutUint32(hdr[off:], math.Float32bits(float32(v))) }
		o.PutUint32(hdr, nifti1HeaderSize)
		hdr[38] = 'r'
		dims := [8]int{3, im.Size[0], im.Size[1], im.Size[2], 1, 1, 1, 1}
		for i, v := range dims {
			p16(40+2*i, v)
		}
		p16(70, code[0])
		p16(72, code[1])
		pf(76, qfac)
		for i := 0; i < 3; i++ {
			pf(80+4*i, im.Spacing[i])
		}
		pf(108, nifti1HeaderSize+4)
		pf(112, 1)
		hdr[123] = 2 | 8 // mm, s
		copy(hdr[148:228], opt.description())
		copy(hdr[228:252], opt.auxFile())
		p16(252, 1)
		p16(254, 1)
		for i, v := range [6]float64{qb, qc, qd, m[0][3], m[1][3], m[2][3]} {
			pf(256+4*i, v)
		}
		for i := 0; i < 3; i++ {
			for k := 0; k < 4; k++ {
				pf(280+16*i+4*k, m[i][k])
			}
		}
		copy(hdr[328:344], opt.intentName())
		copy(hdr[344:], "n+1\x00")
	} else {
		hdr = make([]byte, nifti2HeaderSize+4)
		pf := func(off int, v float64) { o.PutUint64(hdr[off:], math.Float64bits(v)) }
		o.PutUint32(hdr, nifti2HeaderSize)
		copy(hdr[4:], "n+2\x00\r\n\x1a\n")
		o.PutUint16(hdr[12:], uint16(code[0]))
		o.PutUint16(hdr[14:], uint16(code[1]))
		dims := [8]int{3, im.Size[0], im.Size[1], im.Size[2], 1, 1, 1, 1}
		for i, v := range dims {
			o.PutUint64(hdr[16+8*i:], uint64(v))
		}
		pf(104, qfac)
		for i := 0; i < 3; i++ {
			pf(112+8*i, im.Spacing[i])
		}
		o.PutUint64(hdr[168:], nifti2HeaderSize+4)
		pf(176, 1)
		copy(hdr[240:320], opt.description())
		copy(hdr[320:344], opt.auxFile())
		o.PutUint32(hdr[344:], 1)
		o.PutUint32(hdr[348:], 1)
		for i, v := range [6]float64{qb, qc, qd, m[0][3], m[1][3], m[2][3]} {
			pf(352+8*i, v)
		}
		for i := 0; i < 3; i++ {
			for k := 0; k < 4; k++ {
				pf(400+32*i+8*k, m[i][k])
			}
		}
		o.PutUint32(hdr[500:], 2|8)
		copy(hdr[508:524], opt.intentName())
	}
	if _, err := w.Write(hdr); err != nil {
		return err
	}
	return writeSamples(w, im.Data, im.Type, o)
}

// writeSamples writes values in chunks without a full-size byte buffer.
func writeSamples(w io.Writer, data []float64, t volume.PixelType, o binary.ByteOrder) error {
	sz := typeBytes(t)
	const chunk = 1 << 16
	buf := make([]byte, chunk*sz)
	for i := 0; i < len(data); i += chunk {
		j := min(i+chunk, len(data))
		b := buf[:(j-i)*sz]
		putSamples(b, data[i:j], t, o)
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// matToQuatern returns the NIfTI quaternion (b, c, d) and qfac of the
// rotation part of an LPS direction matrix converted to RAS by the row signs
// sg. A left-handed matrix gets qfac = -1 and its third column negated.
func matToQuatern(dir [3][3]float64, sg [3]float64) (b, c, d, qfac float64) {
	var r [3][3]float64
	for i := 0; i < 3; i++ {
		for k := 0; k < 3; k++ {
			r[i][k] = sg[i] * dir[i][k]
		}
	}
	det := r[0][0]*(r[1][1]*r[2][2]-r[1][2]*r[2][1]) -
		r[0][1]*(r[1][0]*r[2][2]-r[1][2]*r[2][0]) +
		r[0][2]*(r[1][0]*r[2][1]-r[1][1]*r[2][0])
	qfac = 1
	if det < 0 {
		qfac = -1
		for i := 0; i < 3; i++ {
			r[i][2] = -r[i][2]
		}
	}
	// Standard rotation-matrix-to-quaternion conversion, branch on the
	// largest of the four candidates for stability; a >= 0 is enforced.
	var a float64
	tr := r[0][0] + r[1][1] + r[2][2] + 1
	switch {
	case tr > 0.5:
		a = 0.5 * math.Sqrt(tr)
		b = 0.25 * (r[2][1] - r[1][2]) / a
		c = 0.25 * (r[0][2] - r[2][0]) / a
		d = 0.25 * (r[1][0] - r[0][1]) / a
	default:
		xx := 1 + r[0][0] - (r[1][1] + r[2][2])
		yy := 1 + r[1][1] - (r[0][0] + r[2][2])
		zz := 1 + r[2][2] - (r[0][0] + r[1][1])
		switch {
		case xx > 1:
			b = 0.5 * math.Sqrt(xx)
			c = 0.25 * (r[0][1] + r[1][0]) / b
			d = 0.25 * (r[0][2] + r[2][0]) / b
			a = 0.25 * (r[2][1] - r[1][2]) / b
		case yy > 1:
			c = 0.5 * math.Sqrt(yy)
			b = 0.25 * (r[0][1] + r[1][0]) / c
			d = 0.25 * (r[1][2] + r[2][1]) / c
			a = 0.25 * (r[0][2] - r[2][0]) / c
		default:
			d = 0.5 * math.Sqrt(zz)
			b = 0.25 * (r[0][2] + r[2][0]) / d
			c = 0.25 * (r[1][2] + r[2][1]) / d
			a = 0.25 * (r[1][0] - r[0][1]) / d
		}
		if a < 0 {
			b, c, d = -b, -c, -d
		}
	}
	return b, c, d, qfac
}
