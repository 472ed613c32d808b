"""Regenerates testdata/lbp3d_pyradiomics.txt: outputs of PyRadiomics' own
getLBP3DImage on small synthetic images, and SHA-256 digests of its outputs
on brain1 and the IBSI CT phantom (default settings, label 1).

Not part of the build. It ran with Debian 12's python3-numpy 1.24.2 and
python3-scipy 1.10.1 (the versions of the shared PyRadiomics reference data),
trimesh from a source checkout (mikedh/trimesh a513c0e2, 5.0.0rc1: trimesh
is not packaged for Debian 12) and PyRadiomics' radiomics/imageoperations.py
of commit 8ed579383b44806651c463d5e691f3b2b57522ab:

  LIBM=1 PYTHONPATH=<trimesh checkout> python3 lbp3d_pyradiomics_gen.py \
      <imageoperations.py> lbp3d_pyradiomics.txt <shared reference dir>

SimpleITK is replaced by a stub holding a NumPy array (getLBP3DImage only
converts to and from arrays). With LIBM=1, np.arccos and np.arctan2 are
replaced by the C library's acos and atan2: on CPUs with AVX-512, NumPy 1.24
evaluates them with SVML, which is not correctly rounded (see
docs/conventions.md, "LBP3D").
"""
import gzip, hashlib, importlib.util, math, os, re, struct, sys, types, warnings
import numpy as np

warnings.simplefilter("ignore")


class _Image:
    def __init__(self, arr):
        self.arr = arr

    def GetDimension(self):
        return self.arr.ndim

    def CopyInformation(self, other):
        pass


_sitk = types.ModuleType("SimpleITK")
_sitk.GetArrayFromImage = lambda im: im.arr.copy()
_sitk.GetImageFromArray = lambda arr: _Image(arr.copy())  # SimpleITK copies
sys.modules["SimpleITK"] = _sitk

if os.environ.get("LIBM") == "1":
    _acos = np.vectorize(math.acos, otypes=[float])
    _atan2 = np.vectorize(math.atan2, otypes=[float])
    np.arccos = lambda x: _acos(x)
    np.arctan2 = lambda y, x: _atan2(y, x)


def load_imageoperations(path):
    spec = importlib.util.spec_from_file_location("imageoperations", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def lbp3d(io, im, ma, **kw):
    return [(name, img.arr) for img, name, _ in io.getLBP3DImage(_Image(im), _Image(ma), **kw)]


def fmt(a):
    return " ".join(repr(float(x)) for x in np.ravel(a))


def case(io, f, name, im, ma, label=1, **kw):
    roi = np.where(ma == label)
    f.write("case %s\n" % name)
    f.write("dtype %s\nshape %d %d %d\n" % (im.dtype.name, *im.shape))
    f.write("levels %d radius %r subdivision %d label %d\n" % (
        kw.get("lbp3DLevels", 2), float(kw.get("lbp3DIcosphereRadius", 1)),
        kw.get("lbp3DIcosphereSubdivision", 1), label))
    f.write("image " + fmt(im) + "\n")
    f.write("mask " + " ".join(str(int(x)) for x in ma.ravel()) + "\n")
    for k, v in lbp3d(io, im, ma, label=label, **kw):
        f.write("out %s %s\n" % (k, fmt(v[roi])))
    f.write("end\n")


def read_nifti_gz(path):
    b = gzip.open(path).read()
    dim = struct.unpack("<8h", b[40:56])
    dtype = {2: np.uint8, 4: np.int16, 8: np.int32, 16: np.float32, 64: np.float64}[struct.unpack("<h", b[70:72])[0]]
    off = int(struct.unpack("<f", b[108:112])[0])
    slope, inter = struct.unpack("<ff", b[112:120])
    assert (slope in (0.0, 1.0)) and inter == 0.0
    n = dim[1] * dim[2] * dim[3]
    return np.frombuffer(b[off:off + n * np.dtype(dtype).itemsize], dtype).reshape(dim[3], dim[2], dim[1])


def read_nrrd(path):
    raw = open(path, "rb").read()
    head, data = raw.split(b"\n\n", 1)
    h = dict(l.split(": ", 1) for l in head.decode().splitlines() if ": " in l)
    dtype = {"short": np.int16, "unsigned char": np.uint8, "int": np.int32, "uchar": np.uint8}[h["type"]]
    if h.get("encoding") == "gzip":
        data = gzip.decompress(data)
    sz = [int(s) for s in h["sizes"].split()]
    return np.frombuffer(data, dtype).reshape(sz[2], sz[1], sz[0])


def digest(io, f, name, im, ma):
    roi = ma == 1
    f.write("digest %s %s %d %d %d roi %d\n" % (name, im.dtype.name, *im.shape, roi.sum()))
    for k, v in lbp3d(io, im, ma, label=1):
        vals = np.ascontiguousarray(v[roi], dtype="<f8")
        f.write("sha256 %s %s first %r last %r\n" % (k, hashlib.sha256(vals.tobytes()).hexdigest(), float(vals[0]), float(vals[-1])))


def main():
    io = load_imageoperations(sys.argv[1])
    rs = np.random.RandomState(20240611)
    with open(sys.argv[2], "w") as f:
        f.write("# Outputs of PyRadiomics' getLBP3DImage (see lbp3d_pyradiomics_gen.py); LIBM=%s\n" % os.environ.get("LIBM", "0"))
        # int16 noise with a flat block; ROI touching the borders
        im = rs.randint(-50, 200, size=(6, 7, 8)).astype(np.int16)
        im[1:5, 1:5, 4:8] = 37
        ma = np.zeros(im.shape, np.uint8)
        ma[0:6, 0:5, 1:8] = 1
        ma[2, 6, 0] = 1
        ma[3, 3, 3] = 2
        case(io, f, "int16_default", im, ma)
        # float64, 4 levels, radius 1.5, 2 subdivisions, label 3
        z, y, x = np.mgrid[0:7, 0:6, 0:9]
        im = (10 * np.sin(0.7 * x + 0.3 * y) + 3 * np.cos(0.5 * z * y) + rs.normal(0, 1, size=x.shape)).astype(np.float64)
        ma = (rs.uniform(size=im.shape) < 0.5).astype(np.int32) * 3
        case(io, f, "float64_l4_r1.5_s2", im, ma, label=3, lbp3DLevels=4, lbp3DIcosphereRadius=1.5, lbp3DIcosphereSubdivision=2)
        # float32 (float32 samples and kurtosis), radius 2, the icosahedron
        im = rs.normal(100, 20, size=(5, 6, 7)).astype(np.float32)
        ma = np.ones(im.shape, np.uint8)
        case(io, f, "float32_l2_r2_s0", im, ma, lbp3DLevels=2, lbp3DIcosphereRadius=2, lbp3DIcosphereSubdivision=0)
        # uint8, 3 levels, an axis of length 1
        im = rs.randint(0, 255, size=(1, 6, 6)).astype(np.uint8)
        ma = np.ones(im.shape, np.uint8)
        case(io, f, "uint8_thin", im, ma, lbp3DLevels=3)
        # int16, 6 levels (degree 5: LPMV's upward recursion), radius 1.2
        im = rs.randint(0, 1000, size=(6, 6, 6)).astype(np.int16)
        ma = np.zeros(im.shape, np.uint8)
        ma[1:5, 1:5, 1:5] = 1
        case(io, f, "int16_l6", im, ma, lbp3DLevels=6, lbp3DIcosphereRadius=1.2)
        # int16 flat interior (every bit set) and a zero image (NaN kurtosis)
        im = rs.randint(-20, 20, size=(12, 12, 12)).astype(np.int16)
        im[2:10, 2:10, 2:10] = 37
        ma = np.zeros(im.shape, np.uint8)
        ma[3:9, 3:9, 3:9] = 1
        ma[0, 5, 5] = 1
        case(io, f, "int16_flat", im, ma, lbp3DLevels=3)
        im = np.zeros((4, 5, 6), np.int16)
        ma = np.ones(im.shape, np.uint8)
        case(io, f, "int16_zero", im, ma)
        if len(sys.argv) > 3:
            ref = sys.argv[3]
            digest(io, f, "brain1", read_nrrd(os.path.join(ref, "pyradiomics", "brain1_image.nrrd")),
                   read_nrrd(os.path.join(ref, "pyradiomics", "brain1_label.nrrd")))
            ct = os.path.join(ref, "ibsi1", "ct_phantom", "nifti")
            digest(io, f, "ct_phantom", read_nifti_gz(os.path.join(ct, "image.nii.gz")),
                   read_nifti_gz(os.path.join(ct, "mask.nii.gz")))


if __name__ == "__main__":
    main()
