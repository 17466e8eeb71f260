//! Japan's 47 prefectures (JIS X 0401 codes) and the eight regions they are usually grouped in.

use super::vocabulary::vocabulary;

vocabulary! {
    /// One of the eight regions (地方) used to narrow a search.
    Region {
        Hokkaido = ("hokkaido", "北海道", "Hokkaido"),
        Tohoku = ("tohoku", "東北", "Tohoku"),
        Kanto = ("kanto", "関東", "Kanto"),
        Chubu = ("chubu", "中部", "Chubu"),
        Kinki = ("kinki", "近畿", "Kinki"),
        Chugoku = ("chugoku", "中国", "Chugoku"),
        Shikoku = ("shikoku", "四国", "Shikoku"),
        KyushuOkinawa = ("kyushu_okinawa", "九州・沖縄", "Kyushu and Okinawa"),
    }
}

/// A prefecture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefecture {
    /// The two-digit JIS X 0401 code, `01` (Hokkaido) to `47` (Okinawa).
    pub code: &'static str,
    /// The Japanese name.
    pub ja: &'static str,
    /// The English name.
    pub en: &'static str,
    /// The region it belongs to.
    pub region: Region,
}

const fn p(code: &'static str, ja: &'static str, en: &'static str, region: Region) -> Prefecture {
    Prefecture {
        code,
        ja,
        en,
        region,
    }
}

use Region::*;

/// Every prefecture in code order.
pub const PREFECTURES: [Prefecture; 47] = [
    p("01", "北海道", "Hokkaido", Hokkaido),
    p("02", "青森県", "Aomori", Tohoku),
    p("03", "岩手県", "Iwate", Tohoku),
    p("04", "宮城県", "Miyagi", Tohoku),
    p("05", "秋田県", "Akita", Tohoku),
    p("06", "山形県", "Yamagata", Tohoku),
    p("07", "福島県", "Fukushima", Tohoku),
    p("08", "茨城県", "Ibaraki", Kanto),
    p("09", "栃木県", "Tochigi", Kanto),
    p("10", "群馬県", "Gunma", Kanto),
    p("11", "埼玉県", "Saitama", Kanto),
    p("12", "千葉県", "Chiba", Kanto),
    p("13", "東京都", "Tokyo", Kanto),
    p("14", "神奈川県", "Kanagawa", Kanto),
    p("15", "新潟県", "Niigata", Chubu),
    p("16", "富山県", "Toyama", Chubu),
    p("17", "石川県", "Ishikawa", Chubu),
    p("18", "福井県", "Fukui", Chubu),
    p("19", "山梨県", "Yamanashi", Chubu),
    p("20", "長野県", "Nagano", Chubu),
    p("21", "岐阜県", "Gifu", Chubu),
    p("22", "静岡県", "Shizuoka", Chubu),
    p("23", "愛知県", "Aichi", Chubu),
    p("24", "三重県", "Mie", Kinki),
    p("25", "滋賀県", "Shiga", Kinki),
    p("26", "京都府", "Kyoto", Kinki),
    p("27", "大阪府", "Osaka", Kinki),
    p("28", "兵庫県", "Hyogo", Kinki),
    p("29", "奈良県", "Nara", Kinki),
    p("30", "和歌山県", "Wakayama", Kinki),
    p("31", "鳥取県", "Tottori", Chugoku),
    p("32", "島根県", "Shimane", Chugoku),
    p("33", "岡山県", "Okayama", Chugoku),
    p("34", "広島県", "Hiroshima", Chugoku),
    p("35", "山口県", "Yamaguchi", Chugoku),
    p("36", "徳島県", "Tokushima", Shikoku),
    p("37", "香川県", "Kagawa", Shikoku),
    p("38", "愛媛県", "Ehime", Shikoku),
    p("39", "高知県", "Kochi", Shikoku),
    p("40", "福岡県", "Fukuoka", KyushuOkinawa),
    p("41", "佐賀県", "Saga", KyushuOkinawa),
    p("42", "長崎県", "Nagasaki", KyushuOkinawa),
    p("43", "熊本県", "Kumamoto", KyushuOkinawa),
    p("44", "大分県", "Oita", KyushuOkinawa),
    p("45", "宮崎県", "Miyazaki", KyushuOkinawa),
    p("46", "鹿児島県", "Kagoshima", KyushuOkinawa),
    p("47", "沖縄県", "Okinawa", KyushuOkinawa),
];

/// The Japanese names of every prefecture in code order, for forms that store the name.
pub const PREFECTURE_NAMES: [&str; 47] = {
    let mut names = [""; 47];
    let mut i = 0;
    while i < PREFECTURES.len() {
        names[i] = PREFECTURES[i].ja;
        i += 1;
    }
    names
};

impl Prefecture {
    /// The prefecture with this code.
    pub fn by_code(code: &str) -> Option<Prefecture> {
        PREFECTURES.iter().copied().find(|p| p.code == code)
    }
}
