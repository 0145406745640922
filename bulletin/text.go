package bulletin

import "truce/i18n"

// The fixed text of bulletins, by key, in the order of i18n.Langs: English,
// Arabic, Russian, Turkish, Persian. Numbers, dates, P-codes, report ids
// and actor ids are written in Latin script in every language, so that a
// bulletin in one language can be checked against another.
var texts = map[string][5]string{
	"title": {
		"Daily ceasefire bulletin",
		"النشرة اليومية لوقف إطلاق النار",
		"Ежедневный бюллетень о режиме прекращения огня",
		"Günlük ateşkes bülteni",
		"بولتن روزانه آتش‌بس",
	},
	"agreement": {"Agreement", "الاتفاق", "Соглашение", "Anlaşma", "توافق"},
	"as_of": {
		"Computed from the log up to tree size %d; consensus as of %s (UTC).",
		"محسوبة من السجل حتى حجم الشجرة %d؛ حالة التوافق في %s (UTC).",
		"Рассчитан по журналу до размера дерева %d; состояние консенсуса на %s (UTC).",
		"Kayıttan %d ağaç boyutuna kadar hesaplanmıştır; uzlaşma durumu %s (UTC) itibarıyla.",
		"محاسبه‌شده از دفتر ثبت تا اندازهٔ درخت %d؛ وضعیت اجماع در %s (UTC).",
	},
	"violations": {
		"Ceasefire violations by governorate",
		"خروقات وقف إطلاق النار حسب المحافظة",
		"Нарушения режима прекращения огня по провинциям",
		"Vilayetlere göre ateşkes ihlalleri",
		"نقض‌های آتش‌بس به تفکیک استان",
	},
	"governorate": {"Governorate", "المحافظة", "Провинция", "Vilayet", "استان"},
	"reports":     {"Reports", "البلاغات", "Сообщения", "Raporlar", "گزارش‌ها"},
	"registered_by": {
		"Registered by %s",
		"سجّلها %s",
		"Зарегистрировано: %s",
		"Kaydeden: %s",
		"ثبت‌شده توسط %s",
	},
	"registered_note": {
		"A guarantor registered a report when its member filed it or when its latest answer to it is confirm.",
		"يُعدّ البلاغ مسجَّلاً لدى الضامن إذا قدّمه أحد أعضائه أو كان آخر ردّ له عليه هو التأكيد.",
		"Гарант зарегистрировал сообщение, если его подал представитель гаранта или последний ответ гаранта — подтверждение.",
		"Bir garantör, raporu kendi üyesi sunduysa ya da rapora son yanıtı teyit ise kaydetmiş sayılır.",
		"گزارشی ثبت‌شدهٔ یک ضامن است که عضو آن ضامن آن را ارائه کرده یا آخرین پاسخ ضامن به آن تأیید باشد.",
	},
	"confirmed":     {"Confirmed", "مؤكدة", "Подтверждено", "Teyit edilen", "تأییدشده"},
	"contested":     {"Contested", "متنازع عليها", "Оспорено", "İtiraz edilen", "مورد اختلاف"},
	"unilateral":    {"Unilateral", "أحادية", "Одностороннее", "Tek taraflı", "یک‌جانبه"},
	"pending":       {"Pending", "قيد الانتظار", "На рассмотрении", "Beklemede", "در انتظار"},
	"rejected":      {"Rejected", "مرفوضة", "Отклонено", "Reddedilen", "ردشده"},
	"outside_scope": {"Not covered", "خارج النطاق", "Вне режима", "Kapsam dışı", "خارج از شمول"},
	"outside_scope_note": {
		"Not covered: outside the agreement's area, or in the area of an actor the agreement does not bind.",
		"خارج النطاق: خارج منطقة الاتفاق، أو في منطقة جهة لا يلزمها الاتفاق.",
		"Вне режима: за пределами района действия соглашения или в районе стороны, на которую соглашение не распространяется.",
		"Kapsam dışı: anlaşma bölgesinin dışında ya da anlaşmanın bağlamadığı bir aktörün bölgesinde.",
		"خارج از شمول: بیرون از محدودهٔ توافق، یا در منطقهٔ گروهی که توافق آن را ملزم نمی‌کند.",
	},
	"settlements": {"Settlements joined", "البلدات المنضمة", "Присоединившиеся населённые пункты", "Katılan yerleşimler", "آبادی‌های پیوسته"},
	"change": {
		"Change since the previous day",
		"التغير منذ اليوم السابق",
		"Изменение по сравнению с предыдущими сутками",
		"Önceki güne göre değişim",
		"تغییر نسبت به روز پیش",
	},
	"designated": {
		"Operations against designated groups",
		"العمليات ضد الجماعات المصنفة",
		"Операции против признанных террористическими группировок",
		"Terör örgütü olarak belirlenen gruplara karşı operasyonlar",
		"عملیات علیه گروه‌های تروریستی شناخته‌شده",
	},
	"designated_note": {
		"Strikes on designated groups' positions and areas are not ceasefire violations; they are counted apart.",
		"الضربات على مواقع الجماعات المصنفة ومناطقها ليست خروقات لوقف إطلاق النار، وتُحصى على حدة.",
		"Удары по позициям и районам таких группировок не являются нарушениями режима прекращения огня и учитываются отдельно.",
		"Belirlenen grupların mevzilerine ve bölgelerine yönelik saldırılar ateşkes ihlali değildir; ayrı sayılır.",
		"حمله به مواضع و مناطق این گروه‌ها نقض آتش‌بس نیست و جداگانه شمرده می‌شود.",
	},
	"operations": {"Operations", "العمليات", "Операции", "Operasyonlar", "عملیات"},
	"against":    {"Against", "ضد", "Против", "Hedef", "علیه"},
	"accessions": {"Accessions to date", "الانضمام حتى تاريخه", "Присоединение на дату", "Bugüne kadar katılımlar", "پیوستن‌ها تا این تاریخ"},
	"groups":     {"Armed groups", "الجماعات المسلحة", "Вооружённые формирования", "Silahlı gruplar", "گروه‌های مسلح"},
	"settlements_total": {
		"Settlements", "البلدات", "Населённые пункты", "Yerleşim yerleri", "آبادی‌ها",
	},
	"confirmed_list": {"Confirmed violations", "الخروقات المؤكدة", "Подтверждённые нарушения", "Teyit edilen ihlaller", "نقض‌های تأییدشده"},
	"report":         {"Report", "البلاغ", "Сообщение", "Rapor", "گزارش"},
	"time":           {"Time (UTC)", "الوقت (UTC)", "Время (UTC)", "Saat (UTC)", "زمان (UTC)"},
	"perpetrator":    {"Alleged perpetrator", "الجهة المتهمة", "Предполагаемый нарушитель", "İddia edilen fail", "عامل ادعایی"},
	"event":          {"Event type", "نوع الحدث", "Тип события", "Olay türü", "نوع رویداد"},
	"coordinates":    {"Coordinates", "الإحداثيات", "Координаты", "Koordinatlar", "مختصات"},
	"none":           {"None.", "لا يوجد.", "Нет.", "Yok.", "هیچ."},
	"unknown":        {"unknown", "غير معروف", "неизвестно", "bilinmiyor", "نامعلوم"},
	"outside_row":    {"Outside any governorate", "خارج أي محافظة", "Вне провинций", "Vilayetler dışında", "خارج از استان‌ها"},
	"total":          {"Total", "المجموع", "Всего", "Toplam", "مجموع"},
	"checkpoint":     {"Checkpoint", "نقطة التحقق", "Контрольная точка", "Kontrol noktası", "نقطهٔ بررسی"},
	"signature":      {"Signature", "التوقيع", "Подпись", "İmza", "امضا"},
	"signature_note": {
		"Signed with the log key over the SHA-256 of the bulletin's canonical JSON. Anyone holding the log can recompute and check it with `truce bulletin verify`.",
		"موقّعة بمفتاح السجل على خلاصة SHA-256 لنص JSON القياسي للنشرة. يستطيع كل من يملك السجل إعادة حسابها والتحقق منها بالأمر `truce bulletin verify`.",
		"Подписано ключом журнала по SHA-256 канонического JSON бюллетеня. Любой, у кого есть журнал, может пересчитать и проверить его командой `truce bulletin verify`.",
		"Bültenin kanonik JSON'unun SHA-256 özeti üzerinden kayıt anahtarıyla imzalanmıştır. Kayda sahip herkes `truce bulletin verify` ile yeniden hesaplayıp doğrulayabilir.",
		"با کلید دفتر ثبت بر چکیدهٔ SHA-256 متن JSON استاندارد بولتن امضا شده است. هر کس دفتر ثبت را دارد می‌تواند با `truce bulletin verify` آن را دوباره محاسبه و بررسی کند.",
	},
	"unsigned": {"Not signed.", "غير موقّعة.", "Не подписано.", "İmzasız.", "امضا نشده."},
}

// eventTypes are ACLED's event types in each language, in the order of
// i18n.Langs; sub-event types stay in ACLED's English, as its codebook
// defines them.
var eventTypes = map[string][5]string{
	"Battles":                    {"Battles", "معارك", "Боевые столкновения", "Çatışmalar", "نبردها"},
	"Explosions/Remote violence": {"Explosions/Remote violence", "انفجارات/عنف عن بُعد", "Взрывы/дистанционное насилие", "Patlamalar/Uzaktan şiddet", "انفجارها/خشونت از راه دور"},
	"Violence against civilians": {"Violence against civilians", "عنف ضد المدنيين", "Насилие против мирного населения", "Sivillere yönelik şiddet", "خشونت علیه غیرنظامیان"},
	"Protests":                   {"Protests", "احتجاجات", "Протесты", "Protestolar", "اعتراض‌ها"},
	"Riots":                      {"Riots", "أعمال شغب", "Беспорядки", "Ayaklanmalar", "شورش‌ها"},
	"Strategic developments":     {"Strategic developments", "تطورات استراتيجية", "Стратегические события", "Stratejik gelişmeler", "تحولات راهبردی"},
}

// text returns the fixed text key in lang.
func text(lang i18n.Lang, key string) string {
	return pick(texts[key], lang)
}

// eventType returns an ACLED event type in lang, or as given when unknown.
func eventType(et string, lang i18n.Lang) string {
	if names, ok := eventTypes[et]; ok {
		return pick(names, lang)
	}
	return et
}

func pick(names [5]string, lang i18n.Lang) string {
	for i, l := range i18n.Langs {
		if l == lang && names[i] != "" {
			return names[i]
		}
	}
	return names[0]
}
