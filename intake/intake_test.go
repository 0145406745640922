package intake_test

import (
	"testing"
	"time"

	"truce"
	"truce/intake"
)

var docDate = time.Date(2017, 4, 5, 0, 0, 0, 0, time.UTC) // a Wednesday

// TestNumbers reads counts written in digits and words, in each language.
func TestNumbers(t *testing.T) {
	for _, tt := range []struct {
		text  string
		total int
	}{
		{"The Russian side registered seven violations in Aleppo (7).", 7},
		{"The Russian side registered twelve violations in Aleppo (12).", 12},
		{"The Russian side registered twenty-one violations in Aleppo (21).", 21},
		{"The Russian side registered twenty one violations in Aleppo (21).", 21},
		{"Российской частью зафиксировано восемь нарушений в провинции Алеппо (8).", 8},
		{"Российской частью зафиксировано пять нарушений в провинции Алеппо (5).", 5},
		{"Российской частью зафиксировано двадцать пять нарушений в провинции Алеппо (25).", 25},
		{"سجل الجانب الروسي سبعة خروقات في محافظة حلب (7).", 7},
		{"سجل الجانب الروسي ثلاثة عشر خرقا في محافظة حلب (13).", 13},
		{"سجل الجانب الروسي خمسة وعشرون خرقا في محافظة حلب (25).", 25},
		{"سجل الجانب الروسي ١٤ خرقا في محافظة حلب (١٤).", 14},
		{"O lado russo registrou vinte e cinco casos nas províncias de Aleppo (25).", 25},
	} {
		doc, err := intake.Read(tt.text, intake.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(doc.Sides) != 1 || doc.Sides[0].Total != tt.total || doc.Sides[0].Governorates["SY02"] != tt.total || doc.Sides[0].Side != "RU" {
			t.Errorf("Read(%q) = %v, want RU %d with SY02 %d", tt.text, doc.Sides, tt.total, tt.total)
		}
	}
}

// TestBulletinSpellings reads the provinces' common spellings.
func TestBulletinSpellings(t *testing.T) {
	text := "The Turkish side registered 9 violations in the provinces of Lattakia (1), Latakia (1), Deraa (1), Daraa (1), " +
		"al-Quneitra (1), Rif Dimashq (1), Idleb (1), Deir ez-Zor (1) and Damascus (1)."
	doc, err := intake.Read(text, intake.Options{Agreement: astana(t)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"SY06": 2, "SY12": 2, "SY14": 1, "SY03": 1, "SY07": 1, "SY09": 1, "SY01": 1}
	if doc.Kind != intake.KindBulletin || len(doc.Sides) != 1 {
		t.Fatalf("Read = %+v, want a bulletin of one side", doc)
	}
	s := doc.Sides[0]
	if s.Side != "TR" || s.Total != 9 || len(s.Governorates) != len(want) {
		t.Fatalf("side = %v, want TR 9 %v", s, want)
	}
	for pc, n := range want {
		if s.Governorates[pc] != n {
			t.Errorf("%s = %d, want %d", pc, s.Governorates[pc], n)
		}
	}
}

// TestBulletinSpans checks that every value's span is the text it came
// from, at its offsets.
func TestBulletinSpans(t *testing.T) {
	text := "Российской частью за сутки зафиксировано 10 нарушений в провинциях Латакия (8) и Хама (2). " +
		"Турецкой частью представительства - восемь нарушений в провинциях Дамаск (3), Алеппо (3) и Идлиб (2)"
	doc, err := intake.Read(text, intake.Options{Agreement: astana(t)})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Lang != "ru" || len(doc.Sides) != 2 {
		t.Fatalf("Read = %+v, want two sides in Russian", doc)
	}
	check := func(sp intake.Span, want string) {
		t.Helper()
		if sp.Text != want || text[sp.Start:sp.End] != want {
			t.Errorf("span %d:%d = %q (text there %q), want %q", sp.Start, sp.End, sp.Text, text[sp.Start:sp.End], want)
		}
	}
	ru, tr := doc.Sides[0], doc.Sides[1]
	if ru.Side != "RU" || tr.Side != "TR" || ru.Total != 10 || tr.Total != 8 {
		t.Fatalf("sides %v, want RU 10 and TR 8", doc.Sides)
	}
	check(*ru.SideSpan, "Российской частью")
	check(*ru.TotalSpan, "10 нарушений")
	check(ru.GovernorateSpans["SY06"][0], "Латакия (8)")
	check(*tr.SideSpan, "Турецкой частью")
	check(*tr.TotalSpan, "восемь нарушений")
	check(tr.GovernorateSpans["SY01"][0], "Дамаск (3)")
}

// TestBulletinDistributes reads a count that several provinces share
// ("three in the provinces of Hama and Idlib": three each) and a side
// named again without counts, which is no side.
func TestBulletinDistributes(t *testing.T) {
	text := "The Turkish side have recorded 14 such cases – four in the Damascus province, three in the provinces of Hama and Idlib, " +
		"two in the province of Deraa, one in Aleppo and HOMS. After a check, the Russian side found confirmation to neither of them."
	doc, err := intake.Read(text, intake.Options{Agreement: astana(t)})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Sides) != 1 {
		t.Fatalf("sides %v, want TR's alone", doc.Sides)
	}
	want := map[string]int{"SY01": 4, "SY05": 3, "SY07": 3, "SY12": 2, "SY02": 1, "SY04": 1}
	s := doc.Sides[0]
	for pc, n := range want {
		if s.Governorates[pc] != n {
			t.Errorf("%s = %d, want %d", pc, s.Governorates[pc], n)
		}
	}
	if s.Side != "TR" || s.Total != 14 || len(s.Governorates) != len(want) {
		t.Errorf("side %v, want TR 14 %v", s, want)
	}
}

// TestBulletinSideOfAgreement: sides are the agreement's guarantors; a
// country that is not one is no side.
func TestBulletinSideOfAgreement(t *testing.T) {
	a := astana(t)
	text := "The Iranian side registered 3 violations in Homs (3)."
	doc, err := intake.Read(text, intake.Options{Agreement: a})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Sides) != 1 || doc.Sides[0].Side != "IR" {
		t.Fatalf("sides %v, want IR", doc.Sides)
	}
	// An agreement whose guarantors are RU and TR alone.
	b := &truce.Agreement{}
	for _, x := range a.Actors {
		if x.ID != "IR" {
			b.Actors = append(b.Actors, x)
		}
	}
	doc, err = intake.Read(text, intake.Options{Agreement: b})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Sides) != 1 || doc.Sides[0].Side != "" {
		t.Fatalf("sides %v, want one without a side", doc.Sides)
	}
}

// TestNews reads incidents in English, Russian and Arabic: when, where,
// who, what and casualties, and the report each makes.
func TestNews(t *testing.T) {
	a := astana(t)
	for _, tt := range []struct {
		name, text          string
		date                string
		pcode               string
		event, sub          string
		perpetrator, target string
		killed, injured     int
		civilians           bool
	}{
		{"en relative", "Syrian government forces shelled Jaish al-Islam positions in Douma on Tuesday, killing five civilians and wounding twelve.",
			"2017-04-04", "C2338", "Explosions/Remote violence", "Shelling/artillery/missile attack", "SYG", "JAI", 5, 12, true},
		{"en absolute", "Warplanes carried out airstrikes on Khan Sheikhoun in Idlib province on 4 April 2017. At least 70 people were killed.",
			"2017-04-04", "C3987", "Explosions/Remote violence", "Air/drone strike", "", "", 70, 0, false},
		{"en clash", "On March 3, 2017 Ahrar al-Sham clashed with Hay'at Tahrir al-Sham near Saraqib.",
			"2017-03-03", "C3916", "Battles", "Armed clash", "AHS", "JFS", 0, 0, false},
		{"ru", "Боевики обстреляли населенный пункт Хан-Шейхун во вторник, погибли три мирных жителя, ранены пять человек.",
			"2017-04-04", "C3987", "Explosions/Remote violence", "Shelling/artillery/missile attack", "", "", 3, 5, true},
		{"ar", "قصفت قوات النظام مدينة دوما في ريف دمشق يوم الثلاثاء ما أدى إلى مقتل سبعة مدنيين وإصابة 12 آخرين.",
			"2017-04-04", "C2338", "Explosions/Remote violence", "Shelling/artillery/missile attack", "SYG", "", 7, 12, true},
		{"ar air", "شنت طائرات حربية غارات على مدينة سراقب في 2 آذار 2017 أسفرت عن مقتل ثلاثة مدنيين.",
			"2017-03-02", "C3916", "Explosions/Remote violence", "Air/drone strike", "", "", 3, 0, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := intake.Read(tt.text, intake.Options{Agreement: a, Date: docDate, Source: "https://example.org/a"})
			if err != nil {
				t.Fatal(err)
			}
			if doc.Kind != intake.KindNews || len(doc.Drafts) != 1 {
				t.Fatalf("Read = kind %s, %d drafts, want news with one", doc.Kind, len(doc.Drafts))
			}
			d := doc.Drafts[0]
			if d.When == nil || d.When.Date != tt.date {
				t.Errorf("when = %+v, want %s", d.When, tt.date)
			}
			if len(d.Where) == 0 || d.Where[0].PCode != tt.pcode {
				t.Errorf("where = %+v, want %s first", d.Where, tt.pcode)
			}
			if d.What == nil || d.What.EventType != tt.event || d.What.SubEventType != tt.sub {
				t.Errorf("what = %+v, want %s / %s", d.What, tt.event, tt.sub)
			}
			r := d.Report
			if r.Perpetrator != tt.perpetrator || r.Target != tt.target {
				t.Errorf("perpetrator, target = %q, %q, want %q, %q (who %+v)", r.Perpetrator, r.Target, tt.perpetrator, tt.target, d.Who)
			}
			killed, injured, civ := 0, 0, false
			if c := d.Casualties; c != nil {
				if c.Killed != nil {
					killed = c.Killed.N
				}
				if c.Injured != nil {
					injured = c.Injured.N
				}
				civ = c.Civilians
			}
			if killed != tt.killed || injured != tt.injured || civ != tt.civilians {
				t.Errorf("casualties = %d killed, %d injured, civilians %v; want %d, %d, %v", killed, injured, civ, tt.killed, tt.injured, tt.civilians)
			}
			if r.Description != tt.text || len(r.Sources) != 1 || r.OccurredAt != tt.date+"T12:00:00Z" {
				t.Errorf("report = %+v, want the text as description, the source, the day", r)
			}
			for _, sp := range spansOf(d) {
				if tt.text[sp.Start:sp.End] != sp.Text {
					t.Errorf("span %d:%d = %q, text there %q", sp.Start, sp.End, sp.Text, tt.text[sp.Start:sp.End])
				}
			}
		})
	}
}

func spansOf(d intake.Draft) []intake.Span {
	out := []intake.Span{d.Span}
	if d.When != nil && d.When.Span != nil {
		out = append(out, *d.When.Span)
	}
	for _, p := range d.Where {
		out = append(out, p.Span)
	}
	for _, w := range d.Who {
		out = append(out, w.Span)
	}
	if d.What != nil {
		out = append(out, d.What.Span)
	}
	return out
}

// TestNewsIncidents splits a text into incidents: a sentence with an
// event opens one, and the sentences after it add to it.
func TestNewsIncidents(t *testing.T) {
	text := "Government artillery shelled Kafr Nabl on Monday. Two children were wounded there.\n" +
		"Separately, clashes broke out near Harasta yesterday."
	doc, err := intake.Read(text, intake.Options{Agreement: astana(t), Date: docDate})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Drafts) != 2 {
		t.Fatalf("%d drafts, want 2: %+v", len(doc.Drafts), doc.Drafts)
	}
	d0, d1 := doc.Drafts[0], doc.Drafts[1]
	if d0.When.Date != "2017-04-03" || d0.Casualties == nil || d0.Casualties.Injured == nil || d0.Casualties.Injured.N != 2 {
		t.Errorf("first draft = %+v, want 3 April with 2 injured", d0)
	}
	if d1.When.Date != "2017-04-04" || d1.What == nil || d1.What.SubEventType != "Armed clash" || len(d1.Where) == 0 || d1.Where[0].Name != "Harasta" {
		t.Errorf("second draft = %+v, want a clash at Harasta on 4 April", d1)
	}
}

// TestReadRejects: input Read cannot read at all.
func TestReadRejects(t *testing.T) {
	for _, tt := range []struct {
		text string
		opt  intake.Options
	}{
		{"\xff\xfe", intake.Options{}},
		{string(make([]byte, intake.MaxText+1)), intake.Options{}},
		{"text", intake.Options{Kind: "poem"}},
	} {
		if _, err := intake.Read(tt.text, tt.opt); truce.ErrorCode(err) != truce.EINVALID {
			t.Errorf("Read(%.20q, %+v) = %v, want %s", tt.text, tt.opt.Kind, err, truce.EINVALID)
		}
	}
	doc, err := intake.Read("", intake.Options{})
	if err != nil || doc.Kind != intake.KindNews || len(doc.Drafts) != 0 {
		t.Errorf("Read(\"\") = %+v, %v, want news without drafts", doc, err)
	}
}

// TestBulletinJointCommission: counts the text gives as the joint
// commission's are no one side's, whatever the publisher.
func TestBulletinJointCommission(t *testing.T) {
	text := "According to the Russia-Turkey Commission on violations of the Joint Agreement, within last 24 hours 39 cases of violations " +
		"in the provinces of Hama (8), Latakia (5), Damascus (8), Idlib (9), Aleppo (3), Homs (3), Daraa (2), and al-Quneitra (1) have been registered."
	doc, err := intake.Read(text, intake.Options{Agreement: astana(t), Side: "RU"})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Sides) != 1 || doc.Sides[0].Side != "" || doc.Sides[0].Total != 39 || len(doc.Sides[0].Governorates) != 8 {
		t.Errorf("sides %v, want one of 39 in 8 governorates without a side", doc.Sides)
	}
}
