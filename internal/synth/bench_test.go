package synth

import "testing"

func BenchmarkWhiteNoise(b *testing.B) {
	r := newStream(1, 1, "x")
	buf := make([]float64, 1<<16)
	for b.Loop() {
		whiteNoise(r, buf)
	}
}

func BenchmarkRenderCase(b *testing.B) {
	c, err := Generate(Options{N: 12, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	i := 0
	for b.Loop() {
		if _, err := c.Render(c.Patients[i%12], false); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
