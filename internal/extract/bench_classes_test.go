package extract

import (
	"testing"

	"github.com/spinerad/spinerad/internal/features"
	"github.com/spinerad/spinerad/internal/preprocess"
)

// ct1316Regions returns the 14 discretised regions (original, 8 wavelets,
// 5 LoG) of the ct1316 extraction of the IBSI CT phantom, as the pipeline
// builds them, and the class settings.
func ct1316Regions(tb testing.TB) ([]*features.Region, features.Settings) {
	tb.Helper()
	img, mask := readCTPhantom(tb)
	p, err := ResolveParams("ct1316")
	if err != nil {
		tb.Fatal(err)
	}
	s := p.Setting
	m, err := preprocess.GetMask(mask, s.Label)
	if err != nil {
		tb.Fatal(err)
	}
	bb, _, err := preprocess.CheckMask(img, m, s.Label, preprocess.CheckOptions{
		GeometryTolerance:    s.GeometryTolerance,
		MinimumROIDimensions: s.MinimumROIDimensions,
	})
	if err != nil {
		tb.Fatal(err)
	}
	roi := roiCrop(m, bb, float64(s.Label))
	var regions []*features.Region
	for _, j := range p.filterJobs(img, bb, roi, &Result{}) {
		ds, err := j.run()
		if err != nil {
			tb.Fatal(err)
		}
		for _, d := range ds {
			r := &features.Region{Size: d.image.Size, Spacing: d.image.Spacing, Values: d.image.Data, ROI: roi}
			discretise(r, d.image.Type, &d.settings)
			regions = append(regions, r)
		}
	}
	if len(regions) != 14 {
		tb.Fatalf("%d derived images, want 14", len(regions))
	}
	return regions, classSettings(s)
}

// BenchmarkCT1316Classes times each non-shape feature class alone over the
// 14 derived images of the ct1316 extraction of the IBSI CT phantom (one
// op = the class on all 14 images, each on a fresh region, so the shared
// texture preparation is counted in every texture class; ngtdm then
// computes its own neighbourhood sums). Run with -cpu 1.
func BenchmarkCT1316Classes(b *testing.B) {
	regions, fs := ct1316Regions(b)
	for _, name := range []string{"firstorder", "glcm", "glrlm", "glszm", "gldm", "ngtdm"} {
		c, ok := features.Lookup(name)
		if !ok {
			b.Fatalf("class %s missing", name)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				for _, r := range regions {
					fresh := &features.Region{Size: r.Size, Spacing: r.Spacing, Values: r.Values, ROI: r.ROI, Levels: r.Levels}
					if _, err := c.Compute(fresh, &fs); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
