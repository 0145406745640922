package screport

import (
	"strings"

	"truce/i18n"
)

// texts are the fixed words of a report in one language. Placeholders in
// braces ({from}, {n} …) are filled in by fill; numbers are never written
// inside a sentence that would have to agree with them, so that no
// language needs plural forms.
type texts struct {
	DocTitle  string // the report's title
	Agreement string // label before the agreement's name
	Period    string // label before the period
	AsOf      string // label before AsOfText
	AsOfText  string // {n} entries, {t} the time of the last
	Rebuild   string // how to rebuild it

	SecSummary, SecWeekly, SecGovernorate, SecHeat, SecPerpetrator, SecMap, SecMethod, SecAnnex string

	SummaryIntro string
	Figure       string // "Figure {n}"
	Table        string // "Table {n}"

	Total           string // reports of events in the period
	GovWithReports  string
	States          [nStates]string // in stateOrder
	StateHead       string
	ScopeHead       string
	Scopes          [nScopes]string // in scopeOrder
	CasualtiesHead  string
	Killed          string
	KilledCivilians string
	KilledConfirmed string
	Injured         string
	Sum             string // the row of totals
	Count           string // column: number of reports
	Share           string // column: share of all reports

	WeeklyNote  string
	PartialWeek string // {from} {to}
	AxisReports string
	AxisWeek    string
	Week        string // column: week beginning
	Days        string // column: days in the week

	Governorate   string // column
	NotLocated    string // reports without a governorate
	OutsideSyria  string // line lengths outside every governorate
	GovNote       string
	MapLegend     string // title of the map's legend: reports
	NoReports     string
	LineOfContact string
	CombatLine    string
	HeatNote      string

	Perpetrator string // column
	NotNamed    string
	PerpNote    string

	NoMap         string // {date}
	MapIntro      string // {date}
	LinesTotal    string
	CombatTotal   string
	DesignatedGov string // caption of km by governorate and designated group
	Length        string // column: km
	SeparationCap string // {m} metres
	NoSeparation  string // {m}
	Designated    string // column
	Party         string // column
	Pairs         string // column
	Touching      string // column

	Method      [5]string // paragraphs; Method[4] has {command}
	Attribution string
	Checkpoint  string // caption of the signed note

	ChartWeeklyTitle, ChartHeatTitle, ChartPerpTitle, MapTitle string // {from} {to}, map {date}
	ChartDesc                                                  string // {total} {max}
	MdFigures                                                  string // the Markdown edition has no figures
}

var languages = map[i18n.Lang]*texts{
	i18n.EN: {
		DocTitle:  "Ceasefire monitoring: periodic report to the Security Council",
		Agreement: "Agreement",
		Period:    "Period covered",
		AsOf:      "As of",
		AsOfText:  "the log's checkpoint of {n} entries, the last of them recorded at {t} (UTC)",
		Rebuild:   "Anyone holding the log can rebuild this report, byte for byte, from its entries up to this checkpoint.",

		SecSummary:     "Summary",
		SecWeekly:      "Reports by week and consensus",
		SecGovernorate: "Reports by governorate",
		SecHeat:        "Reports by governorate and week",
		SecPerpetrator: "Reports by alleged perpetrator",
		SecMap:         "Lines of contact and separation",
		SecMethod:      "Method, sources and verification",
		SecAnnex:       "Annex: weekly figures",

		SummaryIntro: "This report counts the violation reports recorded in the mechanism's log whose events occurred in the period covered, with the guarantors' consensus on each as of the checkpoint named above. A report is an allegation by the guarantor, party or monitor that filed it; its consensus state says how far the guarantors, under the decision rules of the agreement, have confirmed it.",
		Figure:       "Figure {n}",
		Table:        "Table {n}",

		Total:           "Reports of events in the period",
		GovWithReports:  "Governorates with reports",
		States:          [nStates]string{"Confirmed", "Contested", "Unilateral (unanswered)", "Rejected", "Pending (answer window open)"},
		StateHead:       "Consensus of the guarantors",
		ScopeHead:       "Scope of the ceasefire at the place",
		Scopes:          [nScopes]string{"Covered by the ceasefire", "Excluded (designated groups)", "Disputed (contested control or line of contact)", "Outside the agreement's area", "Not classified"},
		CasualtiesHead:  "Casualties alleged (best estimates)",
		Killed:          "Killed",
		KilledCivilians: "of whom civilians",
		KilledConfirmed: "Killed, in confirmed reports",
		Injured:         "Injured",
		Sum:             "Total",
		Count:           "Reports",
		Share:           "Share",

		WeeklyNote:  "Each bar counts the reports of events that occurred in the seven days beginning on its date, divided by the guarantors' consensus as of the checkpoint.",
		PartialWeek: "The last bar covers a shorter period, {from} to {to}.",
		AxisReports: "Reports",
		AxisWeek:    "Week beginning",
		Week:        "Week beginning",
		Days:        "Days",

		Governorate:   "Governorate",
		NotLocated:    "Not located in a governorate",
		OutsideSyria:  "Outside the governorates",
		GovNote:       "Each report is counted in the governorate of the place it gives (OCHA boundaries). The map shades each governorate by its number of reports and draws the lines of contact on the agreed map at the end of the period.",
		MapLegend:     "Reports",
		NoReports:     "None",
		LineOfContact: "Line of contact",
		CombatLine:    "Combat line with a designated group",
		HeatNote:      "Each cell counts the reports of one governorate in one week; the darker the cell, the more reports.",

		Perpetrator: "Alleged perpetrator",
		NotNamed:    "Not named",
		PerpNote:    "The alleged perpetrator is the actor the filer named. An allegation is not a finding: the consensus state says how far the guarantors confirmed it.",

		NoMap:         "No control map agreed by the guarantors was in force on {date}; lines of contact and separation are therefore not reported.",
		MapIntro:      "On the control map agreed by the guarantors, as in force on {date}:",
		LinesTotal:    "Lines of contact, total length (km)",
		CombatTotal:   "Combat lines with designated groups, total length (km)",
		DesignatedGov: "Combat lines with designated groups, by governorate (km)",
		Length:        "km",
		SeparationCap: "Separation: party areas and positions within {m} m of an area or position of a designated group",
		NoSeparation:  "No area or position of a party lay within {m} m of a designated group's.",
		Designated:    "Designated group",
		Party:         "Party",
		Pairs:         "Pairs within the threshold",
		Touching:      "of which in contact",

		Method: [5]string{
			"Sources. Every figure is computed from the mechanism's append-only log: the reports filed by guarantors, parties and monitors, the guarantors' assessments of them, and the control map the guarantors approved. Reports, assessments and map changes recorded after the checkpoint are not counted.",
			"Consensus. A report's state is computed from the guarantors' latest answers under the agreement's decision rules: confirmed when the guarantors confirm it as the rules require, contested when they disagree, rejected when they dispute it, unilateral when the answer window closed without a decision, pending while the window is open.",
			"Places. Reports are counted by governorate, using the OCHA administrative boundaries. This report is public: it gives no location finer than a governorate and shows no position of any group.",
			"Lines of contact are derived from the control areas the guarantors approved, and are shown simplified to about 5 km, at the scale of a map of the whole country.",
			"Verification. The report is a function of the log up to the checkpoint below. Anyone holding the log can rebuild it with the command {command} and check the checkpoint's signature and the guarantors' cosignatures.",
		},
		Attribution: "Administrative boundaries: UN OCHA Syria (Common Operational Datasets, via the Humanitarian Data Exchange), CC BY 3.0 IGO.",
		Checkpoint:  "Checkpoint (C2SP signed note)",

		ChartWeeklyTitle: "Reports by week and consensus state, {from} to {to}",
		ChartHeatTitle:   "Reports by governorate and week, {from} to {to}",
		ChartPerpTitle:   "Reports by alleged perpetrator and consensus state, {from} to {to}",
		MapTitle:         "Reports by governorate, with the lines of contact on {date}",
		ChartDesc:        "Total: {total}. Largest value: {max}.",
		MdFigures:        "The charts and the map are in the HTML and PDF editions of this report; the figures they draw are in the tables below and in the annex.",
	},

	i18n.AR: {
		DocTitle:  "رصد وقف إطلاق النار: تقرير دوري مقدَّم إلى مجلس الأمن",
		Agreement: "الاتفاق",
		Period:    "الفترة المشمولة بالتقرير",
		AsOf:      "البيانات حتى",
		AsOfText:  "نقطة التحقق من السجل البالغ عدد قيودها {n}، وقد سُجِّل آخرها في {t} (بالتوقيت العالمي المنسَّق)",
		Rebuild:   "يمكن لكل من يحوز السجل أن يعيد إنشاء هذا التقرير مطابقاً بايتاً ببايت من قيوده حتى نقطة التحقق هذه.",

		SecSummary:     "موجز",
		SecWeekly:      "البلاغات حسب الأسبوع وحالة التوافق",
		SecGovernorate: "البلاغات حسب المحافظة",
		SecHeat:        "البلاغات حسب المحافظة والأسبوع",
		SecPerpetrator: "البلاغات حسب الجهة المنسوب إليها الانتهاك",
		SecMap:         "خطوط التماس والفصل",
		SecMethod:      "المنهجية والمصادر والتحقق",
		SecAnnex:       "المرفق: الأرقام الأسبوعية",

		SummaryIntro: "يُحصي هذا التقرير بلاغات الانتهاكات المقيَّدة في سجل الآلية التي وقعت أحداثها خلال الفترة المشمولة بالتقرير، مع حالة توافق الدول الضامنة بشأن كل منها حتى نقطة التحقق المذكورة أعلاه. والبلاغ ادعاءٌ من الدولة الضامنة أو الطرف أو المراقب الذي قدَّمه، وتبيِّن حالة التوافق مدى تأكيد الدول الضامنة له وفقاً لقواعد اتخاذ القرار المنصوص عليها في الاتفاق.",
		Figure:       "الشكل {n}",
		Table:        "الجدول {n}",

		Total:           "بلاغات عن أحداث وقعت خلال الفترة",
		GovWithReports:  "المحافظات التي وردت منها بلاغات",
		States:          [nStates]string{"مؤكَّد", "متنازع عليه", "أحادي الجانب (دون رد)", "مرفوض", "قيد النظر (مهلة الرد لم تنقضِ)"},
		StateHead:       "توافق الدول الضامنة",
		ScopeHead:       "انطباق وقف إطلاق النار على المكان",
		Scopes:          [nScopes]string{"مشمول بوقف إطلاق النار", "مستثنى (الجماعات المصنَّفة إرهابية)", "محل خلاف (سيطرة متنازع عليها أو خط تماس)", "خارج النطاق الجغرافي للاتفاق", "غير مصنَّف"},
		CasualtiesHead:  "الإصابات المدَّعاة (أفضل التقديرات)",
		Killed:          "القتلى",
		KilledCivilians: "ومنهم مدنيون",
		KilledConfirmed: "القتلى في البلاغات المؤكَّدة",
		Injured:         "الجرحى",
		Sum:             "المجموع",
		Count:           "البلاغات",
		Share:           "النسبة",

		WeeklyNote:  "يُحصي كل عمود بلاغات الأحداث التي وقعت في الأيام السبعة التي تبدأ بالتاريخ المبيَّن تحته، موزَّعةً حسب حالة توافق الدول الضامنة حتى نقطة التحقق.",
		PartialWeek: "يغطي العمود الأخير فترة أقصر، من {from} إلى {to}.",
		AxisReports: "البلاغات",
		AxisWeek:    "بداية الأسبوع",
		Week:        "بداية الأسبوع",
		Days:        "الأيام",

		Governorate:   "المحافظة",
		NotLocated:    "غير محدد الموقع في محافظة",
		OutsideSyria:  "خارج المحافظات",
		GovNote:       "يُحتسب كل بلاغ في المحافظة التي يقع فيها المكان الوارد فيه (حدود مكتب تنسيق الشؤون الإنسانية). وتُظلَّل كل محافظة على الخريطة حسب عدد بلاغاتها، وتُرسم خطوط التماس وفق خريطة السيطرة المتفق عليها في نهاية الفترة.",
		MapLegend:     "البلاغات",
		NoReports:     "لا شيء",
		LineOfContact: "خط تماس",
		CombatLine:    "خط قتال مع جماعة مصنَّفة إرهابية",
		HeatNote:      "تُحصي كل خانة بلاغات محافظة واحدة في أسبوع واحد؛ وكلما كان لون الخانة أدكن كان عدد البلاغات أكبر.",

		Perpetrator: "الجهة المنسوب إليها الانتهاك",
		NotNamed:    "غير مسمّاة",
		PerpNote:    "الجهة المنسوب إليها الانتهاك هي الجهة التي سمّاها مقدِّم البلاغ. والادعاء ليس استنتاجاً: فحالة التوافق تبيِّن مدى تأكيد الدول الضامنة له.",

		NoMap:         "لم تكن هناك خريطة سيطرة متفق عليها بين الدول الضامنة سارية في {date}؛ ولذلك لا يتضمن التقرير خطوط التماس ولا الفصل بين القوات.",
		MapIntro:      "وفق خريطة السيطرة المتفق عليها بين الدول الضامنة، كما كانت سارية في {date}:",
		LinesTotal:    "خطوط التماس، الطول الإجمالي (كم)",
		CombatTotal:   "خطوط القتال مع الجماعات المصنَّفة إرهابية، الطول الإجمالي (كم)",
		DesignatedGov: "خطوط القتال مع الجماعات المصنَّفة إرهابية حسب المحافظة (كم)",
		Length:        "كم",
		SeparationCap: "الفصل: مناطق الأطراف ومواقعها الواقعة على مسافة لا تتجاوز {m} م من منطقة أو موقع لجماعة مصنَّفة إرهابية",
		NoSeparation:  "لم تقع أي منطقة أو موقع لأي طرف على مسافة لا تتجاوز {m} م من منطقة أو موقع لجماعة مصنَّفة إرهابية.",
		Designated:    "الجماعة المصنَّفة إرهابية",
		Party:         "الطرف",
		Pairs:         "الأزواج ضمن الحد",
		Touching:      "ومنها متلاصقة",

		Method: [5]string{
			"المصادر. تُحسب جميع الأرقام من سجل الآلية غير القابل للتعديل والذي لا يُضاف إليه إلا في آخره: البلاغات المقدَّمة من الدول الضامنة والأطراف والمراقبين، وتقييمات الدول الضامنة لها، وخريطة السيطرة التي وافقت عليها الدول الضامنة. ولا تُحتسب البلاغات والتقييمات وتعديلات الخريطة المسجَّلة بعد نقطة التحقق.",
			"التوافق. تُحسب حالة كل بلاغ من آخر ردود الدول الضامنة وفقاً لقواعد اتخاذ القرار في الاتفاق: مؤكَّد إذا أكَّدته الدول الضامنة على النحو الذي تقتضيه القواعد، ومتنازع عليه إذا اختلفت بشأنه، ومرفوض إذا اعترضت عليه، وأحادي الجانب إذا انقضت مهلة الرد دون قرار، وقيد النظر ما دامت المهلة قائمة.",
			"الأماكن. تُحصى البلاغات حسب المحافظة باستخدام الحدود الإدارية لمكتب الأمم المتحدة لتنسيق الشؤون الإنسانية. وهذا التقرير علني: فهو لا يحدد أي موقع بدقة تتجاوز مستوى المحافظة، ولا يبيِّن موقع أي جماعة.",
			"تُستخلص خطوط التماس من مناطق السيطرة التي وافقت عليها الدول الضامنة، وتُعرض مبسَّطة إلى نحو 5 كم، بمقياس خريطة للبلد بأكمله.",
			"التحقق. هذا التقرير دالة في السجل حتى نقطة التحقق الواردة أدناه. ويمكن لكل من يحوز السجل أن يعيد إنشاءه بالأمر {command}، وأن يتحقق من توقيع نقطة التحقق ومن التوقيعات المشتركة للدول الضامنة.",
		},
		Attribution: "الحدود الإدارية: مكتب الأمم المتحدة لتنسيق الشؤون الإنسانية في سوريا (مجموعات البيانات التشغيلية المشتركة، عبر منصة تبادل البيانات الإنسانية)، بترخيص CC BY 3.0 IGO.",
		Checkpoint:  "نقطة التحقق (ملاحظة موقَّعة وفق C2SP)",

		ChartWeeklyTitle: "البلاغات حسب الأسبوع وحالة التوافق، من {from} إلى {to}",
		ChartHeatTitle:   "البلاغات حسب المحافظة والأسبوع، من {from} إلى {to}",
		ChartPerpTitle:   "البلاغات حسب الجهة المنسوب إليها الانتهاك وحالة التوافق، من {from} إلى {to}",
		MapTitle:         "البلاغات حسب المحافظة، مع خطوط التماس في {date}",
		ChartDesc:        "المجموع: {total}. أكبر قيمة: {max}.",
		MdFigures:        "ترد الرسوم البيانية والخريطة في نسختَي هذا التقرير بصيغتَي HTML وPDF؛ أما الأرقام التي تمثلها فترد في الجداول أدناه وفي المرفق.",
	},

	i18n.RU: {
		DocTitle:  "Мониторинг режима прекращения огня: периодический доклад Совету Безопасности",
		Agreement: "Соглашение",
		Period:    "Отчётный период",
		AsOf:      "По состоянию на",
		AsOfText:  "контрольную точку журнала (число записей: {n}); последняя запись внесена {t} (UTC)",
		Rebuild:   "Любой, у кого есть журнал, может воспроизвести этот доклад байт в байт по записям журнала до этой контрольной точки.",

		SecSummary:     "Основные показатели",
		SecWeekly:      "Сообщения по неделям и статусу консенсуса",
		SecGovernorate: "Сообщения по провинциям",
		SecHeat:        "Сообщения по провинциям и неделям",
		SecPerpetrator: "Сообщения по предполагаемым нарушителям",
		SecMap:         "Линии соприкосновения и разъединение",
		SecMethod:      "Методология, источники и проверка",
		SecAnnex:       "Приложение: данные по неделям",

		SummaryIntro: "В настоящем докладе учтены сообщения о нарушениях, внесённые в журнал механизма, события которых произошли в отчётный период, и консенсус государств-гарантов по каждому из них по состоянию на указанную выше контрольную точку. Сообщение — это утверждение подавшего его государства-гаранта, стороны или наблюдателя; статус консенсуса показывает, в какой мере государства-гаранты подтвердили его в соответствии с правилами принятия решений, установленными соглашением.",
		Figure:       "Рисунок {n}",
		Table:        "Таблица {n}",

		Total:           "Сообщения о событиях отчётного периода",
		GovWithReports:  "Провинции, по которым поступили сообщения",
		States:          [nStates]string{"Подтверждено", "Оспорено", "Одностороннее (без ответа)", "Отклонено", "На рассмотрении (срок ответа не истёк)"},
		StateHead:       "Консенсус государств-гарантов",
		ScopeHead:       "Действие режима прекращения огня в месте события",
		Scopes:          [nScopes]string{"Подпадает под режим прекращения огня", "Исключено (признанные террористическими группировки)", "Спорно (оспариваемый контроль или линия соприкосновения)", "Вне района действия соглашения", "Не классифицировано"},
		CasualtiesHead:  "Заявленные потери (наиболее вероятные оценки)",
		Killed:          "Убитые",
		KilledCivilians: "в том числе мирные жители",
		KilledConfirmed: "Убитые, по подтверждённым сообщениям",
		Injured:         "Раненые",
		Sum:             "Итого",
		Count:           "Сообщения",
		Share:           "Доля",

		WeeklyNote:  "Каждый столбец показывает число сообщений о событиях, произошедших за семь дней начиная с указанной под ним даты, с разбивкой по статусу консенсуса государств-гарантов на момент контрольной точки.",
		PartialWeek: "Последний столбец охватывает более короткий период: с {from} по {to}.",
		AxisReports: "Сообщения",
		AxisWeek:    "Начало недели",
		Week:        "Начало недели",
		Days:        "Дни",

		Governorate:   "Провинция",
		NotLocated:    "Место не отнесено к провинции",
		OutsideSyria:  "Вне провинций",
		GovNote:       "Каждое сообщение учтено в провинции, к которой относится указанное в нём место (границы УКГВ ООН). На карте провинции окрашены по числу сообщений; нанесены линии соприкосновения по согласованной карте на конец периода.",
		MapLegend:     "Сообщения",
		NoReports:     "Нет",
		LineOfContact: "Линия соприкосновения",
		CombatLine:    "Линия боевого соприкосновения с террористической группировкой",
		HeatNote:      "Каждая клетка показывает число сообщений по одной провинции за одну неделю; чем темнее клетка, тем больше сообщений.",

		Perpetrator: "Предполагаемый нарушитель",
		NotNamed:    "Не назван",
		PerpNote:    "Предполагаемый нарушитель — это субъект, названный подавшим сообщение. Утверждение не является установленным фактом: статус консенсуса показывает, в какой мере его подтвердили государства-гаранты.",

		NoMap:         "На {date} согласованной государствами-гарантами карты контроля не было; поэтому линии соприкосновения и разъединение в докладе не приводятся.",
		MapIntro:      "По согласованной государствами-гарантами карте контроля, действовавшей на {date}:",
		LinesTotal:    "Линии соприкосновения, общая протяжённость (км)",
		CombatTotal:   "Линии боевого соприкосновения с террористическими группировками, общая протяжённость (км)",
		DesignatedGov: "Линии боевого соприкосновения с террористическими группировками по провинциям (км)",
		Length:        "км",
		SeparationCap: "Разъединение: районы и позиции сторон, находящиеся не далее {m} м от района или позиции террористической группировки",
		NoSeparation:  "Ни один район и ни одна позиция сторон не находились ближе {m} м к району или позиции террористической группировки.",
		Designated:    "Террористическая группировка",
		Party:         "Сторона",
		Pairs:         "Пары в пределах порога",
		Touching:      "в том числе соприкасающиеся",

		Method: [5]string{
			"Источники. Все показатели рассчитаны по журналу механизма, в который записи только добавляются: сообщения, поданные государствами-гарантами, сторонами и наблюдателями, их оценки государствами-гарантами и утверждённая ими карта контроля. Сообщения, оценки и изменения карты, внесённые после контрольной точки, не учитываются.",
			"Консенсус. Статус сообщения рассчитывается по последним ответам государств-гарантов согласно правилам принятия решений, установленным соглашением: «подтверждено» — если гаранты подтвердили его так, как того требуют правила; «оспорено» — если их мнения расходятся; «отклонено» — если они его опровергли; «одностороннее» — если срок ответа истёк без решения; «на рассмотрении» — пока срок не истёк.",
			"Места. Сообщения учтены по провинциям в соответствии с административными границами УКГВ ООН. Доклад является открытым: в нём не указывается местоположение точнее провинции и не показываются позиции каких-либо группировок.",
			"Линии соприкосновения выведены из районов контроля, утверждённых государствами-гарантами, и показаны в упрощённом виде, с точностью около 5 км, в масштабе карты всей страны.",
			"Проверка. Доклад однозначно определяется журналом до приведённой ниже контрольной точки. Любой, у кого есть журнал, может воспроизвести его командой {command} и проверить подпись контрольной точки и совместные подписи государств-гарантов.",
		},
		Attribution: "Административные границы: УКГВ ООН в Сирии (общие оперативные наборы данных, через платформу Humanitarian Data Exchange), CC BY 3.0 IGO.",
		Checkpoint:  "Контрольная точка (подписанная записка C2SP)",

		ChartWeeklyTitle: "Сообщения по неделям и статусу консенсуса, с {from} по {to}",
		ChartHeatTitle:   "Сообщения по провинциям и неделям, с {from} по {to}",
		ChartPerpTitle:   "Сообщения по предполагаемым нарушителям и статусу консенсуса, с {from} по {to}",
		MapTitle:         "Сообщения по провинциям и линии соприкосновения на {date}",
		ChartDesc:        "Всего: {total}. Наибольшее значение: {max}.",
		MdFigures:        "Диаграммы и карта приведены в изданиях настоящего доклада в форматах HTML и PDF; отображаемые на них данные приведены в таблицах ниже и в приложении.",
	},

	i18n.TR: {
		DocTitle:  "Ateşkesin izlenmesi: Güvenlik Konseyi'ne dönemsel rapor",
		Agreement: "Anlaşma",
		Period:    "Rapor dönemi",
		AsOf:      "Esas alınan durum",
		AsOfText:  "kayıt defterinin {n} kayıtlık kontrol noktası; son kaydın tarihi {t} (UTC)",
		Rebuild:   "Kayıt defterine sahip herkes bu raporu, bu kontrol noktasına kadarki kayıtlardan bayt bayt aynı şekilde yeniden oluşturabilir.",

		SecSummary:     "Özet",
		SecWeekly:      "Haftalara ve mutabakat durumuna göre bildirimler",
		SecGovernorate: "İllere göre bildirimler",
		SecHeat:        "İllere ve haftalara göre bildirimler",
		SecPerpetrator: "İddia edilen faile göre bildirimler",
		SecMap:         "Temas hatları ve ayrıştırma",
		SecMethod:      "Yöntem, kaynaklar ve doğrulama",
		SecAnnex:       "Ek: haftalık rakamlar",

		SummaryIntro: "Bu rapor, mekanizmanın kayıt defterine işlenen ve olayları rapor döneminde meydana gelen ihlal bildirimlerini, her biri hakkında garantör devletlerin yukarıda belirtilen kontrol noktası itibarıyla vardığı mutabakatla birlikte saymaktadır. Bildirim, onu sunan garantör devletin, tarafın veya gözlemcinin iddiasıdır; mutabakat durumu, garantörlerin anlaşmanın karar kurallarına göre bildirimi ne ölçüde teyit ettiğini gösterir.",
		Figure:       "Şekil {n}",
		Table:        "Tablo {n}",

		Total:           "Dönem içindeki olaylara ilişkin bildirimler",
		GovWithReports:  "Bildirim gelen iller",
		States:          [nStates]string{"Teyit edildi", "İtiraz edildi", "Tek taraflı (yanıtsız)", "Reddedildi", "Beklemede (yanıt süresi dolmadı)"},
		StateHead:       "Garantörlerin mutabakatı",
		ScopeHead:       "Olay yerinde ateşkesin kapsamı",
		Scopes:          [nScopes]string{"Ateşkes kapsamında", "Kapsam dışı (terör örgütü olarak belirlenen gruplar)", "İhtilaflı (tartışmalı kontrol veya temas hattı)", "Anlaşmanın uygulama alanı dışında", "Sınıflandırılmamış"},
		CasualtiesHead:  "İddia edilen kayıplar (en iyi tahminler)",
		Killed:          "Ölü",
		KilledCivilians: "bunlardan siviller",
		KilledConfirmed: "Teyit edilen bildirimlerde ölü",
		Injured:         "Yaralı",
		Sum:             "Toplam",
		Count:           "Bildirim",
		Share:           "Pay",

		WeeklyNote:  "Her sütun, altındaki tarihte başlayan yedi gün içinde meydana gelen olaylara ilişkin bildirimleri, garantörlerin kontrol noktası itibarıyla mutabakat durumuna göre ayrılmış olarak sayar.",
		PartialWeek: "Son sütun daha kısa bir dönemi kapsar: {from} – {to}.",
		AxisReports: "Bildirim",
		AxisWeek:    "Hafta başlangıcı",
		Week:        "Hafta başlangıcı",
		Days:        "Gün",

		Governorate:   "İl",
		NotLocated:    "Bir ile yerleştirilemeyen",
		OutsideSyria:  "İllerin dışında",
		GovNote:       "Her bildirim, belirttiği yerin bulunduğu ilde sayılır (OCHA sınırları). Harita her ili bildirim sayısına göre renklendirir ve dönem sonunda geçerli olan mutabık haritadaki temas hatlarını gösterir.",
		MapLegend:     "Bildirim",
		NoReports:     "Yok",
		LineOfContact: "Temas hattı",
		CombatLine:    "Terör örgütü olarak belirlenen bir grupla çatışma hattı",
		HeatNote:      "Her hücre bir ilin bir haftadaki bildirimlerini sayar; hücre ne kadar koyuysa bildirim o kadar çoktur.",

		Perpetrator: "İddia edilen fail",
		NotNamed:    "Belirtilmemiş",
		PerpNote:    "İddia edilen fail, bildirimi sunanın adını verdiği aktördür. İddia bir tespit değildir: mutabakat durumu, garantörlerin iddiayı ne ölçüde teyit ettiğini gösterir.",

		NoMap:         "{date} tarihinde garantörlerin mutabık kaldığı yürürlükte bir kontrol haritası yoktu; bu nedenle temas hatları ve ayrıştırma raporlanmamaktadır.",
		MapIntro:      "Garantörlerin mutabık kaldığı, {date} tarihinde yürürlükte olan kontrol haritasına göre:",
		LinesTotal:    "Temas hatları, toplam uzunluk (km)",
		CombatTotal:   "Terör örgütü olarak belirlenen gruplarla çatışma hatları, toplam uzunluk (km)",
		DesignatedGov: "Terör örgütü olarak belirlenen gruplarla çatışma hatları, illere göre (km)",
		Length:        "km",
		SeparationCap: "Ayrıştırma: terör örgütü olarak belirlenen bir grubun bölgesine veya mevziine {m} m'den yakın taraf bölgeleri ve mevzileri",
		NoSeparation:  "Hiçbir tarafın bölgesi veya mevzii, terör örgütü olarak belirlenen bir grubunkine {m} m'den yakın değildi.",
		Designated:    "Belirlenen grup",
		Party:         "Taraf",
		Pairs:         "Eşik içindeki çiftler",
		Touching:      "bunlardan temas halinde",

		Method: [5]string{
			"Kaynaklar. Tüm rakamlar, mekanizmanın yalnızca ekleme yapılabilen kayıt defterinden hesaplanır: garantörlerin, tarafların ve gözlemcilerin sunduğu bildirimler, garantörlerin bunlara ilişkin değerlendirmeleri ve garantörlerin onayladığı kontrol haritası. Kontrol noktasından sonra kaydedilen bildirimler, değerlendirmeler ve harita değişiklikleri sayılmaz.",
			"Mutabakat. Bir bildirimin durumu, garantörlerin son yanıtlarından anlaşmanın karar kurallarına göre hesaplanır: garantörler kuralların gerektirdiği şekilde teyit ettiğinde teyit edildi, görüş ayrılığına düştüklerinde itiraz edildi, itiraz ettiklerinde reddedildi, yanıt süresi karar çıkmadan dolduğunda tek taraflı, süre dolmadıkça beklemede.",
			"Yerler. Bildirimler, OCHA idari sınırları kullanılarak illere göre sayılır. Bu rapor kamuya açıktır: il düzeyinden daha ayrıntılı hiçbir konum vermez ve hiçbir grubun mevziini göstermez.",
			"Temas hatları, garantörlerin onayladığı kontrol bölgelerinden türetilir ve ülkenin tamamını gösteren bir harita ölçeğinde, yaklaşık 5 km'ye sadeleştirilmiş olarak gösterilir.",
			"Doğrulama. Rapor, aşağıdaki kontrol noktasına kadarki kayıt defterinin bir işlevidir. Kayıt defterine sahip herkes raporu {command} komutuyla yeniden oluşturabilir, kontrol noktasının imzasını ve garantörlerin ortak imzalarını doğrulayabilir.",
		},
		Attribution: "İdari sınırlar: BM OCHA Suriye (Ortak Operasyonel Veri Kümeleri, Humanitarian Data Exchange aracılığıyla), CC BY 3.0 IGO.",
		Checkpoint:  "Kontrol noktası (C2SP imzalı not)",

		ChartWeeklyTitle: "Haftalara ve mutabakat durumuna göre bildirimler, {from} – {to}",
		ChartHeatTitle:   "İllere ve haftalara göre bildirimler, {from} – {to}",
		ChartPerpTitle:   "İddia edilen faile ve mutabakat durumuna göre bildirimler, {from} – {to}",
		MapTitle:         "İllere göre bildirimler ve {date} tarihindeki temas hatları",
		ChartDesc:        "Toplam: {total}. En büyük değer: {max}.",
		MdFigures:        "Grafikler ve harita bu raporun HTML ve PDF sürümlerindedir; gösterdikleri rakamlar aşağıdaki tablolarda ve ekte yer almaktadır.",
	},

	i18n.FA: {
		DocTitle:  "نظارت بر آتش‌بس: گزارش دوره‌ای به شورای امنیت",
		Agreement: "توافق",
		Period:    "دوره گزارش",
		AsOf:      "وضعیت تا",
		AsOfText:  "نقطه وارسی دفتر ثبت با {n} مدخل؛ آخرین مدخل در {t} (به وقت هماهنگ جهانی) ثبت شده است",
		Rebuild:   "هر کس دفتر ثبت را در اختیار داشته باشد می‌تواند این گزارش را، بایت به بایت، از مدخل‌های آن تا این نقطه وارسی بازسازی کند.",

		SecSummary:     "چکیده",
		SecWeekly:      "گزارش‌ها بر حسب هفته و وضعیت اجماع",
		SecGovernorate: "گزارش‌ها بر حسب استان",
		SecHeat:        "گزارش‌ها بر حسب استان و هفته",
		SecPerpetrator: "گزارش‌ها بر حسب عامل ادعایی",
		SecMap:         "خطوط تماس و جداسازی",
		SecMethod:      "روش، منابع و راستی‌آزمایی",
		SecAnnex:       "پیوست: ارقام هفتگی",

		SummaryIntro: "این گزارش، گزارش‌های نقض آتش‌بس را که در دفتر ثبت سازوکار ثبت شده و رویدادهای آن‌ها در دوره گزارش رخ داده است، همراه با وضعیت اجماع کشورهای ضامن درباره هر یک تا نقطه وارسی یادشده در بالا، شمارش می‌کند. هر گزارش ادعای کشور ضامن، طرف یا ناظری است که آن را ثبت کرده است؛ وضعیت اجماع نشان می‌دهد که کشورهای ضامن، بر پایه قواعد تصمیم‌گیری توافق، تا چه اندازه آن را تأیید کرده‌اند.",
		Figure:       "شکل {n}",
		Table:        "جدول {n}",

		Total:           "گزارش‌های رویدادهای دوره",
		GovWithReports:  "استان‌هایی که از آن‌ها گزارش رسیده است",
		States:          [nStates]string{"تأییدشده", "مورد مناقشه", "یک‌جانبه (بی‌پاسخ)", "ردشده", "در انتظار (مهلت پاسخ باز است)"},
		StateHead:       "اجماع کشورهای ضامن",
		ScopeHead:       "شمول آتش‌بس در محل رویداد",
		Scopes:          [nScopes]string{"مشمول آتش‌بس", "مستثنا (گروه‌های تروریستی شناخته‌شده)", "مورد اختلاف (کنترل مورد مناقشه یا خط تماس)", "خارج از محدوده توافق", "طبقه‌بندی‌نشده"},
		CasualtiesHead:  "تلفات ادعاشده (بهترین برآوردها)",
		Killed:          "کشته",
		KilledCivilians: "از جمله غیرنظامیان",
		KilledConfirmed: "کشته در گزارش‌های تأییدشده",
		Injured:         "زخمی",
		Sum:             "جمع کل",
		Count:           "گزارش‌ها",
		Share:           "سهم",

		WeeklyNote:  "هر ستون شمار گزارش‌های رویدادهایی را نشان می‌دهد که در هفت روزِ آغازشده از تاریخ زیر آن رخ داده‌اند، به تفکیک وضعیت اجماع کشورهای ضامن تا نقطه وارسی.",
		PartialWeek: "آخرین ستون دوره کوتاه‌تری را در بر می‌گیرد: از {from} تا {to}.",
		AxisReports: "گزارش‌ها",
		AxisWeek:    "آغاز هفته",
		Week:        "آغاز هفته",
		Days:        "روز",

		Governorate:   "استان",
		NotLocated:    "بدون استان مشخص",
		OutsideSyria:  "بیرون از استان‌ها",
		GovNote:       "هر گزارش در استانی شمرده می‌شود که محل ذکرشده در آن در آنجا قرار دارد (مرزهای اوچا). نقشه هر استان را بر حسب شمار گزارش‌هایش رنگ‌آمیزی می‌کند و خطوط تماس را بر پایه نقشه مورد توافق در پایان دوره نشان می‌دهد.",
		MapLegend:     "گزارش‌ها",
		NoReports:     "هیچ",
		LineOfContact: "خط تماس",
		CombatLine:    "خط نبرد با یک گروه تروریستی شناخته‌شده",
		HeatNote:      "هر خانه شمار گزارش‌های یک استان در یک هفته را نشان می‌دهد؛ هرچه خانه تیره‌تر باشد، گزارش‌ها بیشترند.",

		Perpetrator: "عامل ادعایی",
		NotNamed:    "نامشخص",
		PerpNote:    "عامل ادعایی بازیگری است که ثبت‌کننده گزارش نام برده است. ادعا به معنای احراز نیست: وضعیت اجماع نشان می‌دهد که کشورهای ضامن تا چه اندازه آن را تأیید کرده‌اند.",

		NoMap:         "در {date} هیچ نقشه کنترلِ مورد توافق کشورهای ضامن معتبر نبود؛ از این رو خطوط تماس و جداسازی گزارش نمی‌شوند.",
		MapIntro:      "بر پایه نقشه کنترلِ مورد توافق کشورهای ضامن، چنان‌که در {date} معتبر بود:",
		LinesTotal:    "خطوط تماس، طول کل (کیلومتر)",
		CombatTotal:   "خطوط نبرد با گروه‌های تروریستی شناخته‌شده، طول کل (کیلومتر)",
		DesignatedGov: "خطوط نبرد با گروه‌های تروریستی شناخته‌شده، بر حسب استان (کیلومتر)",
		Length:        "کیلومتر",
		SeparationCap: "جداسازی: مناطق و مواضع طرف‌ها در فاصله {m} متری یا کمتر از منطقه یا موضع یک گروه تروریستی شناخته‌شده",
		NoSeparation:  "هیچ منطقه یا موضعی از طرف‌ها در فاصله {m} متری یا کمتر از منطقه یا موضع یک گروه تروریستی شناخته‌شده نبود.",
		Designated:    "گروه شناخته‌شده",
		Party:         "طرف",
		Pairs:         "جفت‌های درون آستانه",
		Touching:      "از جمله در تماس",

		Method: [5]string{
			"منابع. همه ارقام از دفتر ثبت سازوکار محاسبه می‌شوند که تنها می‌توان به آن افزود: گزارش‌های ثبت‌شده از سوی کشورهای ضامن، طرف‌ها و ناظران، ارزیابی‌های کشورهای ضامن از آن‌ها، و نقشه کنترلی که کشورهای ضامن تصویب کرده‌اند. گزارش‌ها، ارزیابی‌ها و تغییرات نقشه که پس از نقطه وارسی ثبت شده‌اند شمرده نمی‌شوند.",
			"اجماع. وضعیت هر گزارش از آخرین پاسخ‌های کشورهای ضامن و بر پایه قواعد تصمیم‌گیری توافق محاسبه می‌شود: تأییدشده هنگامی که کشورهای ضامن آن را چنان‌که قواعد می‌خواهند تأیید کنند، مورد مناقشه هنگامی که اختلاف نظر داشته باشند، ردشده هنگامی که آن را رد کنند، یک‌جانبه هنگامی که مهلت پاسخ بدون تصمیم به پایان برسد، و در انتظار تا زمانی که مهلت باز است.",
			"مکان‌ها. گزارش‌ها بر حسب استان و با استفاده از مرزهای اداری دفتر هماهنگی امور بشردوستانه سازمان ملل (اوچا) شمرده می‌شوند. این گزارش عمومی است: هیچ مکانی را دقیق‌تر از سطح استان نمی‌دهد و موضع هیچ گروهی را نشان نمی‌دهد.",
			"خطوط تماس از مناطق کنترلِ مصوب کشورهای ضامن به دست می‌آیند و به صورت ساده‌شده، با دقت حدود 5 کیلومتر و در مقیاس نقشه کل کشور، نمایش داده می‌شوند.",
			"راستی‌آزمایی. این گزارش تابعی از دفتر ثبت تا نقطه وارسی زیر است. هر کس دفتر ثبت را در اختیار داشته باشد می‌تواند آن را با فرمان {command} بازسازی کند و امضای نقطه وارسی و امضاهای مشترک کشورهای ضامن را وارسی کند.",
		},
		Attribution: "مرزهای اداری: دفتر هماهنگی امور بشردوستانه سازمان ملل در سوریه (مجموعه‌داده‌های عملیاتی مشترک، از طریق Humanitarian Data Exchange)، CC BY 3.0 IGO.",
		Checkpoint:  "نقطه وارسی (یادداشت امضاشده C2SP)",

		ChartWeeklyTitle: "گزارش‌ها بر حسب هفته و وضعیت اجماع، از {from} تا {to}",
		ChartHeatTitle:   "گزارش‌ها بر حسب استان و هفته، از {from} تا {to}",
		ChartPerpTitle:   "گزارش‌ها بر حسب عامل ادعایی و وضعیت اجماع، از {from} تا {to}",
		MapTitle:         "گزارش‌ها بر حسب استان، با خطوط تماس در {date}",
		ChartDesc:        "مجموع: {total}. بیشترین مقدار: {max}.",
		MdFigures:        "نمودارها و نقشه در نسخه‌های HTML و PDF این گزارش آمده‌اند؛ ارقامی که نشان می‌دهند در جدول‌های زیر و در پیوست آمده است.",
	},
}

// textsFor returns the fixed texts of a language.
func textsFor(l i18n.Lang) *texts {
	if t, ok := languages[l]; ok {
		return t
	}
	return languages[i18n.EN]
}

// fill replaces the placeholders {key} of s by their values, given as
// key, value pairs.
func fill(s string, kv ...string) string {
	pairs := make([]string, 0, len(kv))
	for i := 0; i+1 < len(kv); i += 2 {
		pairs = append(pairs, "{"+kv[i]+"}", kv[i+1])
	}
	return strings.NewReplacer(pairs...).Replace(s)
}
