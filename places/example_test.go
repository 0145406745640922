package places_test

import (
	"fmt"

	"truce/places"
)

func ExampleLookup() {
	for _, q := range []string{"Khan Sheikhoun", "Idlib", "حلب", "Palmyra"} {
		fmt.Println(q)
		for _, c := range places.Lookup(q, 3) {
			fmt.Printf("  %-8s %-14s %.2f  %.4f,%.4f\n", c.PCode, c.Name, c.Score, c.Lat, c.Lon)
		}
	}
	// Output:
	// Khan Sheikhoun
	//   C3987    Khan Shaykun   0.94  35.4431,36.6453
	//   SY070201 Khan Shaykun   0.94  35.4444,36.6124
	//   C2466    Khan Elshih    0.63  33.3727,36.1157
	// Idlib
	//   C3871    Idleb          0.94  35.9320,36.6349
	//   SY07     Idleb          0.94  35.7851,36.6823
	//   SY0700   Idleb          0.94  35.8909,36.7912
	// حلب
	//   C1007    Aleppo         1.00  36.2031,37.1409
	//   SY02     Aleppo         1.00  36.2181,37.6427
	//   C1283    Halabiyeh      0.80  36.1394,37.4671
	// Palmyra
	//   C2889    Tadmor         1.00  34.5573,38.2773
	//   SY0405   Tadmor         1.00  34.4448,38.8754
	//   SY040500 Tadmor         1.00  34.2897,38.5356
}

func ExampleUnitByPCode() {
	u, _ := places.UnitByPCode("SY0702")
	fmt.Println(u.NameEN, u.NameAR, u.ADM1, u.Level, len(u.Geometry) > 0)
	// Output:
	// Al Ma'ra معرة النعمان SY07 2 true
}
