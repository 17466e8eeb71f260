//! Language tags for `{lang=..}` delimiters and `cmi.learner_preference.language`:
//! RFC 1766/3066 tags whose primary subtag is an ISO 639 code (or `i`, `x`, a
//! registered IANA tag, or a local `qaa`–`qtz` code) and whose second subtag, when
//! present, is an ISO 3166 country code.

/// Tags registered with IANA that the code lists alone would reject.
const IANA: &[&str] = &[
    "art-lojban",
    "az-arab",
    "az-cyrl",
    "az-latn",
    "cel-gaulish",
    "de-1901",
    "de-1996",
    "en-boont",
    "en-ge-oed",
    "en-scouse",
    "i-ami",
    "i-bnn",
    "i-default",
    "i-enochian",
    "i-hak",
    "i-klingon",
    "i-lux",
    "i-mingo",
    "i-navajo",
    "i-pwn",
    "i-tao",
    "i-tay",
    "i-tsu",
    "no-bok",
    "no-nyn",
    "sgn-be-fr",
    "sgn-be-nl",
    "sgn-br",
    "sgn-ch-de",
    "sgn-co",
    "sgn-de",
    "sgn-dk",
    "sgn-es",
    "sgn-fr",
    "sgn-gb",
    "sgn-gr",
    "sgn-ie",
    "sgn-it",
    "sgn-jp",
    "sgn-mx",
    "sgn-nl",
    "sgn-no",
    "sgn-pt",
    "sgn-se",
    "sgn-us",
    "sgn-za",
    "sl-rozaj",
    "sr-cyrl",
    "sr-latn",
    "uz-cyrl",
    "uz-latn",
    "yi-latn",
    "zh-hans",
    "zh-hant",
    "zh-gan",
    "zh-guoyu",
    "zh-hakka",
    "zh-min",
    "zh-min-nan",
    "zh-wuu",
    "zh-xiang",
];

const ISO_639_1: &str = concat!(
    "aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv ",
    "cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ",
    "ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ",
    "ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mo mr ms mt my na nb nd ne ng nl nn no nr ",
    "nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq ",
    "sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh ",
    "yi yo za zh zu "
);
const ISO_639_2: &str = concat!(
    "aar abk ace ach ada ady afa afh afr aka akk alb ale alg amh ang apa ara arc arg arm arn ",
    "arp art arw asm ast ath aus ava ave awa aym aze bad bai bak bal bam ban baq bas bat bej ",
    "bel bem ben ber bho bih bik bin bis bla bnt bod bos bra bre btk bua bug bul bur byn cad ",
    "cai car cat cau ceb cel ces cha chb che chg chi chk chm chn cho chp chr chu chv chy cmc ",
    "cop cor cos cpe cpf cpp cre crh crp csb cus cym cze dak dan dar day del den deu dgr din ",
    "div doi dra dsb dua dum dut dyu dzo efi egy eka ell elx eng enm epo est eus ewe ewo fan ",
    "fao fas fat fij fil fin fiu fon fra fre frm fro fry ful fur gaa gay gba gem geo ger gez ",
    "gil gla gle glg glv gmh goh gon gor got grb grc gre grn guj gwi hai hat hau haw heb her ",
    "hil him hin hit hmn hmo hrv hsb hun hup hye iba ibo ice ido iii ijo iku ile ilo ina inc ",
    "ind ine inh ipk ira iro isl ita jav jbo jpn jpr jrb kaa kab kac kal kam kan kar kas kat ",
    "kau kaw kaz kbd kha khi khm kho kik kin kir kmb kok kom kon kor kos kpe krc kro kru kua ",
    "kum kur kut lad lah lam lao lat lav lez lim lin lit lol loz ltz lua lub lug lui lun luo ",
    "lus mac mad mag mah mai mak mal man mao map mar mas may mdf mdr men mga mic min mis mkd ",
    "mkh mlg mlt mnc mni mno moh mol mon mos mri msa mul mun mus mwl mwr mya myn myv nah nai ",
    "nap nau nav nbl nde ndo nds nep new nia nic niu nld nno nob nog non nor nso nub nwc nya ",
    "nym nyn nyo nzi oci oji ori orm osa oss ota oto paa pag pal pam pan pap pau peo per phi ",
    "phn pli pol pon por pra pro pus que raj rap rar roa roh rom ron rum run rus sad sag sah ",
    "sai sal sam san sas sat scc scn sco scr sel sem sga sgn shn sid sin sio sit sla slk slo ",
    "slv sma sme smi smj smn smo sms sna snd snk sog som son sot spa sqi srd srp srr ssa ssw ",
    "suk sun sus sux swa swe syr tah tai tam tat tel tem ter tet tgk tgl tha tib tig tir tiv ",
    "tkl tlh tli tmh tog ton tpi tsi tsn tso tuk tum tup tur tut tvl twi tyv udm uga uig ukr ",
    "umb und urd uzb vai ven vie vol vot wak wal war was wel wen wln wol xal xho yao yap yid ",
    "yor ypk zap zen zha zho znd zul zun "
);
const ISO_3166: &str = concat!(
    "AD AE AF AG AI AL AM AN AO AQ AR AS AT AU AW AZ BA BB BD BE BF BG BH BI BJ BM BN BO BR BS ",
    "BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CX CY CZ DE DJ DK DM DO DZ EC ",
    "EE EG EH ER ES ET FI FJ FK FM FO FR FX GA GB GD GE GF GH GI GL GM GN GP GQ GR GS GT GU GW ",
    "GY HK HM HN HR HT HU ID IE IL IN IO IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR KW KY KZ ",
    "LA LB LC LI LK LR LS LT LU LV LY MA MC MD MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX ",
    "MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA ",
    "RE RO RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR ST SV SY SZ TC TD TF TG TH TJ TK ",
    "TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT YU ZA ZM ZW "
);

fn listed(table: &str, code: &str) -> bool {
    table
        .split_whitespace()
        .any(|entry| entry.eq_ignore_ascii_case(code))
}

/// True for a valid language tag (the empty string is not one).
pub fn is_language(tag: &str) -> bool {
    if tag.is_empty() || !tag.is_ascii() {
        return false;
    }
    let lower = tag.to_ascii_lowercase();
    if IANA
        .iter()
        .any(|known| lower == *known || lower.starts_with(&format!("{known}-")))
    {
        return true;
    }
    let mut subtags = lower.split('-');
    let primary = subtags.next().unwrap_or("");
    let second = subtags.next();
    let primary_ok = match primary.len() {
        // Private use: anything after `x-`.
        1 if primary == "x" => return second.is_some_and(|s| !s.is_empty()),
        2 => listed(ISO_639_1, primary),
        3 => is_local(primary) || listed(ISO_639_2, primary),
        _ => false,
    };
    let country_ok = second.is_none_or(|country| country.len() == 2 && listed(ISO_3166, country));
    let rest_ok =
        subtags.all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()));
    primary_ok && country_ok && rest_ok
}

/// ISO 639-2 reserves `qaa`–`qtz` for local use.
fn is_local(code: &str) -> bool {
    let b = code.as_bytes();
    b.len() == 3 && b[0] == b'q' && (b'a'..=b't').contains(&b[1]) && b[2].is_ascii_lowercase()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn iso_codes_countries_and_registered_tags() {
        for ok in [
            "en",
            "en-US",
            "eng",
            "fre",
            "i-klingon",
            "x-private",
            "qab",
            "zh-min-nan",
            "de-CH-1996",
        ] {
            assert!(is_language(ok), "{ok}");
        }
        for bad in [
            "",
            "sp",
            "frl",
            "exg",
            "ruq-JM",
            "en-USA",
            "english",
            "x",
            "x-",
            "i-unknown",
            "en-",
            "é",
        ] {
            assert!(!is_language(bad), "{bad}");
        }
    }
}
