package intake

import "strings"

// numberWords are the cardinal numbers bulletins and news write in words,
// folded (see fold): English, Russian (the cases counts take), Arabic
// (masculine and feminine, with and without the final teh marbuta) and
// Portuguese. Values of 20 and more that are multiples of ten are tens,
// which a following unit adds to ("twenty one", "двадцать пять", "vinte e
// cinco"); Arabic puts the unit first ("خمسة وعشرون").
var numberWords = map[string]int{}

func init() {
	add := func(v int, words string) {
		for _, w := range strings.Fields(words) {
			numberWords[fold(w)] = v
		}
	}
	// English.
	for i, w := range strings.Fields("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen") {
		add(i, w)
	}
	for i, w := range strings.Fields("twenty thirty forty fifty sixty seventy eighty ninety") {
		add(20+10*i, w)
	}
	add(100, "hundred")
	// Russian, with the forms counts are declined to.
	ru := []string{
		"ноль нуль", "один одна одно одного одной одну одном", "два две двух", "три трех", "четыре четырех",
		"пять пяти", "шесть шести", "семь семи", "восемь восьми", "девять девяти", "десять десяти",
		"одиннадцать одиннадцати", "двенадцать двенадцати", "тринадцать тринадцати", "четырнадцать четырнадцати",
		"пятнадцать пятнадцати", "шестнадцать шестнадцати", "семнадцать семнадцати", "восемнадцать восемнадцати",
		"девятнадцать девятнадцати",
	}
	for i, ws := range ru {
		add(i, ws)
	}
	for i, ws := range []string{"двадцать двадцати", "тридцать тридцати", "сорок сорока", "пятьдесят пятидесяти",
		"шестьдесят шестидесяти", "семьдесят семидесяти", "восемьдесят восьмидесяти", "девяносто девяноста"} {
		add(20+10*i, ws)
	}
	add(100, "сто ста")
	// Arabic. Teens are a unit and عشر/عشرة, read by mergeNumbers.
	ar := []string{
		"صفر", "واحد واحدة", "اثنان اثنين اثنتان اثنتين اثنا اثني", "ثلاثة ثلاث", "أربعة أربع", "خمسة خمس",
		"ستة ست", "سبعة سبع", "ثمانية ثماني ثمان", "تسعة تسع", "عشرة عشر",
	}
	for i, ws := range ar {
		add(i, ws)
	}
	add(1, "أحد إحدى")
	for i, ws := range []string{"عشرون عشرين", "ثلاثون ثلاثين", "أربعون أربعين", "خمسون خمسين", "ستون ستين",
		"سبعون سبعين", "ثمانون ثمانين", "تسعون تسعين"} {
		add(20+10*i, ws)
	}
	add(100, "مئة مائة")
	// Portuguese.
	pt := []string{"zero", "um uma", "dois duas", "três", "quatro", "cinco", "seis", "sete", "oito", "nove", "dez",
		"onze", "doze", "treze", "catorze quatorze", "quinze", "dezesseis dezasseis", "dezessete dezassete",
		"dezoito", "dezenove dezanove"}
	for i, ws := range pt {
		add(i, ws)
	}
	for i, ws := range []string{"vinte", "trinta", "quarenta", "cinquenta", "sessenta", "setenta", "oitenta", "noventa"} {
		add(20+10*i, ws)
	}
	add(100, "cem")
}

// wordNumber reads a folded word as a number: a number word, the same
// with the Arabic conjunction و attached ("وسبعة"), or English tens and
// units joined by a hyphen ("twenty-one").
func wordNumber(f string) (int, bool) {
	if v, ok := numberWords[f]; ok {
		return v, true
	}
	if rest, ok := strings.CutPrefix(f, "و"); ok {
		if v, ok := numberWords[rest]; ok {
			return v, true
		}
	}
	if tens, unit, ok := strings.Cut(f, "-"); ok {
		t, ok1 := numberWords[tens]
		u, ok2 := numberWords[unit]
		if ok1 && ok2 && t >= 20 && t%10 == 0 && t < 100 && u >= 1 && u <= 9 {
			return t + u, true
		}
	}
	return 0, false
}

// mergeNumbers turns number words into number tokens and joins compound
// numbers into one token spanning them: "twenty one", "двадцать пять",
// "vinte e cinco", "خمسة وعشرون", "ثلاثة عشر".
func mergeNumbers(toks []token) []token {
	out := toks[:0]
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		if t.kind == tokWord {
			if v, ok := wordNumber(t.fold); ok {
				t.kind, t.num = tokNumber, v
			}
		}
		if t.kind != tokNumber || len(out) == 0 || out[len(out)-1].kind != tokNumber {
			out = append(out, t)
			continue
		}
		prev := &out[len(out)-1]
		switch {
		case isTens(prev.num) && t.num >= 1 && t.num <= 9 && t.fold != "" && !strings.HasPrefix(t.fold, "و"):
			// "twenty one", "двадцать пять"
		case prev.num >= 1 && prev.num <= 9 && (t.fold == "عشر" || t.fold == "عشره"):
			t.num = 10 // "ثلاثة عشر": the unit is added below
		case prev.num >= 1 && prev.num <= 9 && isTens(t.num) && strings.HasPrefix(t.fold, "و"):
			// "خمسة وعشرون"
		default:
			out = append(out, t)
			continue
		}
		if prev.fold == "" {
			// Digits are not words: "2 three" is two numbers.
			out = append(out, t)
			continue
		}
		prev.num += t.num
		prev.end = t.end
		prev.raw += " " + t.raw
		prev.fold += " " + t.fold
	}
	// Portuguese "vinte e cinco": tens, "e", unit.
	for i := 0; i+2 < len(out); i++ {
		if out[i].kind == tokNumber && isTens(out[i].num) && out[i].fold != "" && out[i+1].fold == "e" &&
			out[i+2].kind == tokNumber && out[i+2].num >= 1 && out[i+2].num <= 9 && out[i+2].fold != "" {
			out[i].num += out[i+2].num
			out[i].end = out[i+2].end
			out = append(out[:i+1], out[i+3:]...)
		}
	}
	return out
}

func isTens(v int) bool { return v >= 20 && v < 100 && v%10 == 0 }
