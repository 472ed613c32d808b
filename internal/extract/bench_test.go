package extract

import (
	"path/filepath"
	"testing"

	"github.com/spinerad/spinerad/internal/hugepages"

	"github.com/spinerad/spinerad/internal/imageio"
	"github.com/spinerad/spinerad/internal/refdata"
	"github.com/spinerad/spinerad/internal/volume"
)

// readCTPhantom reads the IBSI CT phantom image and mask (NIfTI).
func readCTPhantom(tb testing.TB) (img, mask *volume.Image) {
	tb.Helper()
	dir := filepath.Join(refdata.Dir(tb, "ibsi1"), "ct_phantom", "nifti")
	img, err := imageio.Read(filepath.Join(dir, "image.nii.gz"))
	if err != nil {
		tb.Fatal(err)
	}
	mask, err = imageio.Read(filepath.Join(dir, "mask.nii.gz"))
	if err != nil {
		tb.Fatal(err)
	}
	return img, mask
}

// BenchmarkCT1316 times the full 1,316-feature extraction (preset ct1316:
// Original, 8 coif1 wavelets, LoG sigma 1..5 mm; shape and six texture
// classes) of the IBSI CT phantom, features only (what spinerad extract
// writes without --diagnostics); reading the files is outside the timer.
// cpu-ms/op is the process CPU time per extraction (all threads; Linux),
// which other load on the machine disturbs less than ns/op.
func BenchmarkCT1316(b *testing.B) { benchCT1316(b, false) }

// BenchmarkCT1316Diagnostics is BenchmarkCT1316 with the diagnostics_*
// entries (image and mask hashes, statistics, connected components).
func BenchmarkCT1316Diagnostics(b *testing.B) { benchCT1316(b, true) }

func benchCT1316(b *testing.B, diagnostics bool) {
	hugepages.Reserve(512 << 20) // as spinerad's main does
	img, mask := readCTPhantom(b)
	p, err := ResolveParams("ct1316")
	if err != nil {
		b.Fatal(err)
	}
	p.NoDiagnostics = !diagnostics
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU()
	defer func() {
		if cpu := processCPU() - cpu0; cpu > 0 {
			b.ReportMetric(float64(cpu.Milliseconds())/float64(b.N), "cpu-ms/op")
		}
	}()
	for i := 0; i < b.N; i++ {
		res, err := p.Execute(img, mask)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Features) != 1316 {
			b.Fatalf("%d features, want 1316", len(res.Features))
		}
	}
}

// BenchmarkReadCTPhantom times reading the CT phantom image and mask.
func BenchmarkReadCTPhantomPair(b *testing.B) {
	for i := 0; i < b.N; i++ {
		readCTPhantom(b)
	}
}
