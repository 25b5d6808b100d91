"""A seeded corpus of legitimate text in many languages, for measuring false alarms.

    from legit_corpus import records
    for slice_name, text in records(seed=0, per_locale=40): ...

Two parts:

* ``faker:<locale>`` slices: for every locale the ``faker`` package ships, person names,
  addresses, company names and free text, but only the kinds for which faker has a
  provider of that locale's own language (a locale without one falls back to English
  data, which is still generated so that every locale has a slice, and marked by the
  slice holding only fallback kinds). Generation is seeded per locale, so the records do
  not depend on which other locales exist or on the order they are generated in.
* ``mixed:<topic>`` slices: hand-written lines that mix scripts the way ordinary text
  does (Latin brand names in Japanese, Chinese and Russian; Greek letters in science;
  fullwidth Latin in CJK; ZWNJ/ZWJ in Persian and Hindi; emoji sequences) and everyday
  sentences and names in orthographies with letters that resemble ASCII (Turkish,
  Azerbaijani, Icelandic, Vietnamese, Romanian, Lithuanian, Maltese, Yoruba). Latin-script lines
  appear both precomposed (NFC) and decomposed (NFD), as text from macOS file names is.

Nothing here is copied from a data set: the faker output is synthesised from faker's own
word lists at run time and the mixed lines were written for this corpus.
"""

from __future__ import annotations

import random
import unicodedata
import warnings
import zlib
from collections.abc import Callable

__all__ = ["KINDS", "MIXED", "faker_locales", "mixed_records", "records"]

KINDS = ("name", "address", "company", "text")
"""Record kinds drawn from faker, in the order they are cycled through."""

_PROVIDER = {"name": "person", "address": "address", "company": "company", "text": "lorem"}

# --- hand-written code-mixed lines ------------------------------------------------------

MIXED: dict[str, tuple[str, ...]] = {
    "brands-ja": (
        "昨日、新しいiPhoneを買って、Googleマップで駅までの道を調べました。",
        "会社のパソコンはWindows 11で、家ではmacOSとLinuxを使っています。",
        "AmazonでKindleの本を三冊注文したら、翌日に届いた。",
        "YouTubeで料理の動画を見ながら、カレーを作りました。",
        "来週の会議はZoomではなくMicrosoft Teamsで行います。",
        "スターバックスでMacBookを開いて、Slackのメッセージに返信した。",
        "このアプリはAndroidとiOSの両方で動きます。",
        "佐藤さんはGitHubでPythonのライブラリを公開している。",
    ),
    "brands-zh": (
        "我昨天用微信给妈妈发了一张iPhone拍的照片。",
        "公司的服务器都跑在Linux上，数据库用的是PostgreSQL。",
        "他在淘宝上买了一台Sony相机，还送了一张SD卡。",
        "这个项目的代码托管在GitHub上，文档用Markdown写。",
        "周末我们去北京的Apple Store看了新的iPad。",
        "孩子们喜欢在Bilibili上看动画片。",
        "请把PDF文件通过Email发给王老师。",
        "台北的捷運站都有免費的Wi-Fi可以用。",
    ),
    "brands-ru": (
        "Я установил Windows 11 и Ubuntu на новый ноутбук Lenovo.",
        "Вечером мы смотрели сериал на Netflix, а потом слушали Spotify.",
        "Мой брат работает программистом в Яндексе и пишет на Python.",
        "Отправь мне ссылку в Telegram или на e-mail, как тебе удобнее.",
        "В магазине Apple на Тверской продают новые MacBook Air.",
        "Сегодня в Москве прошла конференция по PostgreSQL и Kubernetes.",
        "Мы купили билеты на Aeroflot через сайт компании.",
        "Скачай приложение из Google Play и войди через свой аккаунт.",
    ),
    "greek-science": (
        "The decay constant λ and the half-life t½ satisfy t½ = ln 2 / λ.",
        "We reject the null hypothesis at α = 0.05 with power 1 − β = 0.8.",
        "The wavelength λ = 532 nm corresponds to a photon energy of about 2.33 eV.",
        "Let μ be the mean and σ the standard deviation of the sample.",
        "The resistance is 4.7 kΩ and the current 2 mA.",
        "Angles θ and φ are measured in radians; ω = 2πf.",
        "Der Koeffizient ρ = 0,82 zeigt einen starken Zusammenhang.",
        "Le rapport Δx/Δt tend vers la vitesse instantanée v.",
        "The γ-ray burst and the β-decay of tritium were discussed.",
        "Σ over all i of x_i, divided by n, gives the mean x̄.",
    ),
    "fullwidth-cjk": (
        "日本のＮＨＫは２０２４年に新しい番組を放送した。",
        "ＪＲ東日本の駅でＳｕｉｃａにチャージしました。",
        "会議室はＡ棟の３階、ＴＥＬは０３－１２３４－５６７８です。",
        "我们公司在ＣＢＤ有一个办公室，电话是０１０－８８８８８８８８。",
        "ＵＳＢメモリとＬＡＮケーブルを持ってきてください。",
        "한국의 ＫＢＳ는 ２０２４년에 새 드라마를 방송했다.",
        "価格は￥１，２００（税込）です。",
    ),
    "zwnj-fa": (
        "می\u200cخواهم این کتاب\u200cها را تا آخر هفته بخوانم.",
        "دانشگاه\u200cهای تهران از مهر ماه کلاس\u200cهای حضوری را شروع می\u200cکنند.",
        "بچه\u200cها در پارک بازی می\u200cکردند و مادرها صحبت می\u200cکردند.",
        "خانه\u200cی ما نزدیک ایستگاه مترو است.",
        "این نرم\u200cافزار روی ویندوز و لینوکس کار می\u200cکند.",
        "نامه\u200cای از دوستم در شیراز رسید.",
    ),
    "zwj-hi": (
        "क्\u200dष और र्\u200dय जैसे रूप कुछ फ़ॉन्ट में ऐसे लिखे जाते हैं।",
        "मैंने आज सुबह दिल्ली से मुंबई के लिए टिकट बुक की।",
        "हमारे स्कूल में हिंदी और अंग्रेज़ी दोनों पढ़ाई जाती हैं।",
        "कृपया अपना ई-मेल पता यहाँ लिखें।",
        "ज़्\u200dयादा बारिश के कारण सड़कें बंद हैं।",
        "আমি আজ কলকাতা যাচ্ছি, র\u200d্যাব আর ক্\u200cষ দুটোই লেখা যায়।",
        "நான் நாளை சென்னைக்குச் செல்கிறேன்.",
        "ಶ್ರೀ\u200cಕೃಷ್ಣ ದೇವಾಲಯಕ್ಕೆ ಹೋಗೋಣ.",
    ),
    "emoji": (
        "Family trip 👨\u200d👩\u200d👧\u200d👦 and a coder 👩🏽\u200d💻 at work.",
        "Pride 🏳️\u200d🌈, pirate 🏴\u200d☠️, and the flag of Scotland "
        "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f.",
        "Press 1️⃣ for sales, 2️⃣ for support, #️⃣ to repeat, *️⃣ for the menu.",
        "Love it ❤️ 👍🏻 👋🏿 🤝🏼 — see you soon ✌️",
        "Kitchen rules: 🧑\u200d🍳 cooks, 🐕\u200d🦺 waits, ☕ first.",
        "Happy birthday 🎉🎂 from 🇹🇷 🇯🇵 🇧🇷 🇺🇦!",
        "Heart on fire ❤️\u200d🔥 and mending heart ❤️\u200d🩹.",
        "Ich komme gleich 🚲💨 — bis später 😊",
    ),
    "tr": (
        "Yıldırım ailesi hafta sonu İstanbul'a taşındı.",
        "Necip Fazıl Kısakürek'in şiirlerini lisede okumuştuk.",
        "Acıbadem Hastanesi'nde randevum saat üçte.",
        "Bu ayakkabı çok rahat ama biraz pahalı.",
        "Ayakkabı",
        "Yıldırım",
        "Kısakürek",
        "Acıbadem",
        "İstanbul",
        "Iğdır ve Diyarbakır doğuda, Kırıkkale ise İç Anadolu'da.",
        "Kadın doktor hastaya ılık su içmesini söyledi.",
        "Işıl Aydın ile Çağrı Yılmaz dün akşam sinemaya gitti.",
        "Sabah kahvaltısında peynir, zeytin ve sıcak simit vardı.",
        "Kırmızı kazaklı çocuk yağmurda ıslandı.",
        "Ankara'da kış çok soğuk geçiyor, kar yağışı bekleniyor.",
        "Müşteri hizmetlerine ulaşmak için lütfen bekleyiniz.",
        "Kadir Yıldız, Aslı Kılıç, Ilgın Akın, Barış Altın",
        "Taksim Meydanı'ndan Kadıköy'e vapurla geçtik.",
        "TÜRKİYE CUMHURİYETİ KİMLİK KARTI",
        "Ödevini bitirmeden dışarı çıkamazsın.",
    ),
    "az": (
        "Bakı Azərbaycanın paytaxtıdır və Xəzər dənizinin sahilində yerləşir.",
        "Əliyev küçəsində yeni kitab mağazası açılıb.",
        "Sabah Gəncəyə qatarla gedəcəyik.",
        "Aysel Qasımova və Rəşad Həsənli universitetdə oxuyurlar.",
        "Bu gün hava çox isti idi, axşam isə yağış yağdı.",
        "Qız uşaqları bağçada oynayırdılar.",
        "Şəki şəhərinin xan sarayı çox gözəldir.",
        "Mən səhər yeməyində çay içir, pendir yeyirəm.",
        "Qarabağ, Lənkəran, Sumqayıt, Mingəçevir",
        "Xahiş edirəm, qapını bağlayın.",
    ),
    "is": (
        "Þetta er góð bók og ég mæli með henni.",
        "þetta er bókin mín, ekki þín.",
        "Við förum á Þingvelli á morgun ef veðrið er gott.",
        "Hann býr í Reykjavík og vinnur hjá Þjóðskrá Íslands.",
        "Guðrún Þorsteinsdóttir og Sigurður Þórðarson",
    ),
    "vi": (
        "Tiếng Việt là ngôn ngữ chính thức của Việt Nam.",
        "Hôm nay trời mưa to nên tôi ở nhà đọc sách.",
        "Nguyễn Thị Hương và Trần Văn Đức đã kết hôn vào tháng trước.",
        "Phở bò Hà Nội ngon nhất là ăn vào buổi sáng.",
        "Thành phố Hồ Chí Minh có hơn chín triệu dân.",
        "Cảm ơn bạn rất nhiều vì đã giúp đỡ tôi.",
        "Đường Lê Lợi, Quận 1, Đà Nẵng, Huế, Cần Thơ",
        "Trường đại học sẽ khai giảng vào đầu tháng chín.",
    ),
    "ro": (
        "București este capitala României și cel mai mare oraș din țară.",
        "Mâine mergem la munte, în Brașov, cu trenul de dimineață.",
        "Ștefan cel Mare și Sfânt a domnit în Moldova.",
        "Bucureşti şi Timişoara, scrise cu sedilă, apar încă în texte vechi.",
        "Îmi place să beau cafea cu lapte și să citesc ziarul.",
        "Țăranii au strâns recolta înainte de ploaie.",
        "Ion Creangă, Mihai Eminescu, Ana Blandiana, Nichita Stănescu",
    ),
    "lt": (
        "Vilnius yra Lietuvos sostinė ir didžiausias šalies miestas.",
        "Šiandien lyja, todėl liksime namuose ir žiūrėsime filmą.",
        "Jonas Žemaitis ir Rūta Kazlauskienė dirba Kaune.",
        "Ąžuolas auga prie ežero kranto.",
        "Į parduotuvę įėjome su ąsočiu, o ūkininkas pardavė sūrį ir uogų.",
        "Klaipėdos uoste stovi daug laivų.",
        "Prašau, užeikite į vidų ir palaukite.",
    ),
    "mt": (
        "Il-Belt Valletta hija l-kapitali ta' Malta.",
        "Għada se mmorru l-Imdina bil-karozza.",
        "Iż-żgħażagħ iħobbu jgħumu fil-baħar fis-sajf.",
        "Ħobż biż-żejt u kafè sħun għall-kolazzjon.",
        "Ġużeppi Ċassar u Marija Żammit jgħixu f'Ħal Qormi.",
        "Il-ħanut tal-ħaxix jiftaħ fis-sebgħa ta' filgħodu.",
        "Grazzi ħafna tal-għajnuna tiegħek.",
    ),
    "yo": (
        "Ẹ káàárọ̀, ṣé dáadáa ni ẹ jí?",
        "Ọjọ́ ìbí mi ni ọ̀la, mo máa ṣe àjọyọ̀ pẹ̀lú àwọn ọ̀rẹ́ mi.",
        "Olúwaṣeun Adéyẹmí ń gbé ní Ìbàdàn.",
        "Mo fẹ́ ra aṣọ tuntun ní ọjà Ọ̀yọ́.",
        "Ilé-ẹ̀kọ́ wa wà nítòsí odò Ògùn.",
        "Ẹ ṣé púpọ̀ fún ìrànlọ́wọ́ yín.",
        "Fúnmiláyọ̀ Ransome-Kútì, Ṣóyínká, Ọbáfẹ́mi Awólọ́wọ̀",
    ),
}

# Slices whose lines are Latin-script orthography: generated in NFC and NFD.
_BOTH_FORMS = frozenset(("tr", "az", "is", "vi", "ro", "lt", "mt", "yo", "greek-science"))


def mixed_records() -> list[tuple[str, str]]:
    """The hand-written lines as ``(slice, text)``, Latin orthographies in NFC and NFD."""
    out: list[tuple[str, str]] = []
    for topic in sorted(MIXED):
        for line in MIXED[topic]:
            out.append((f"mixed:{topic}", line))
            if topic in _BOTH_FORMS:
                nfd = unicodedata.normalize("NFD", line)
                if nfd != line:
                    out.append((f"mixed:{topic}", nfd))
    return out


# --- faker ---------------------------------------------------------------------------------


def faker_locales() -> list[str]:
    """Every locale the installed faker ships, sorted."""
    from faker.config import AVAILABLE_LOCALES

    return sorted(AVAILABLE_LOCALES)


def _language(locale: str) -> str:
    return locale.split("_")[0]


def _native_kinds(fake: object, locale: str) -> list[str]:
    """The record kinds whose faker provider is written for this locale's language."""
    providers = fake.factories[0].providers  # type: ignore[attr-defined]
    module_of: dict[str, str] = {}
    for p in providers:
        parts = type(p).__module__.split(".")
        if len(parts) >= 3 and parts[1] == "providers":
            module_of[parts[2]] = parts[3] if len(parts) > 3 else ""
    lang = _language(locale)
    return [k for k in KINDS if _language(module_of.get(_PROVIDER[k], "")) == lang]


def _generators(fake: object, rng: random.Random) -> dict[str, Callable[[], str]]:
    f = fake

    def text() -> str:
        if rng.random() < 0.5:
            return str(f.sentence(nb_words=rng.randint(6, 14)))  # type: ignore[attr-defined]
        return str(f.text(max_nb_chars=rng.choice((120, 200, 300))))  # type: ignore[attr-defined]

    return {
        "name": lambda: str(f.name()),  # type: ignore[attr-defined]
        "address": lambda: str(f.address()),  # type: ignore[attr-defined]
        "company": lambda: str(f.company()),  # type: ignore[attr-defined]
        "text": text,
    }


def faker_records(locale: str, seed: int = 0, per_locale: int = 40) -> list[tuple[str, str]]:
    """``per_locale`` records of one locale, cycling through its native kinds."""
    from faker import Faker

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # fr_QC and similar announce their deprecation
        fake = Faker(locale)
    local_seed = zlib.crc32(f"{seed}:{locale}".encode())
    fake.seed_instance(local_seed)
    rng = random.Random(local_seed)
    kinds = _native_kinds(fake, locale)
    slice_name = f"faker:{locale}"
    if not kinds:  # no provider in this language: faker's fallback data, still measured
        kinds = list(KINDS)
        slice_name += "(fallback)"
    gen = _generators(fake, rng)
    return [(slice_name, gen[kinds[i % len(kinds)]]()) for i in range(per_locale)]


def records(seed: int = 0, per_locale: int = 40) -> list[tuple[str, str]]:
    """The whole corpus as ``(slice, text)`` pairs: ``per_locale`` faker records for every
    faker locale, then every hand-written mixed line. Deterministic for a given seed and
    faker version."""
    out: list[tuple[str, str]] = []
    for locale in faker_locales():
        out.extend(faker_records(locale, seed, per_locale))
    out.extend(mixed_records())
    return out


if __name__ == "__main__":
    import sys

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    for name, text in records(per_locale=n):
        print(f"{name}\t{text!r}")
