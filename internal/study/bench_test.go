package study

import "testing"

func BenchmarkStudyFixture(b *testing.B) {
	c := fixtureConfig()
	c.Bootstrap = 1000
	for i := 0; i < b.N; i++ {
		if _, err := Run(c); err != nil {
			b.Fatal(err)
		}
	}
}
