package extract

import "testing"

// BenchmarkCTOriginal times the original-image extraction of the IBSI CT
// phantom with PyRadiomics' defaults (Original image; shape, firstorder,
// glcm, gldm, glrlm, glszm, ngtdm; binWidth 25): 107 features.
func BenchmarkCTOriginal(b *testing.B) {
	img, mask := readCTPhantom(b)
	p := DefaultParams()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		res, err := p.Execute(img, mask)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Features) != 107 {
			b.Fatalf("%d features, want 107", len(res.Features))
		}
	}
}
