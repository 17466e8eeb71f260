//! Demo data of the public portal: two small materials generated here, clearly fictional
//! instructors and engineers, and related links to public pages named in the project's fact sheet.

use std::path::Path;

use mist_core::portal::filetype::FileType;
use mist_core::portal::prefecture::Prefecture;
use mist_core::portal::search::search_text;
use mist_core::portal::vocabulary::{
    AudienceTag, ContentKind, Expertise, Language, LinkCategory, join_tags,
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::SeedError;
use crate::store::Store;
use crate::store::portal::contents::{ContentFields, ContentSource};
use crate::store::portal::experts::ExpertFields;
use crate::store::portal::links::LinkFields;

/// An example self-check sheet with the FY2023 items of MHLW's checklist (医療機関確認用), to fill in
/// the way the checklist is filled in: はい/いいえ, confirmation date, and a target date for いいえ.
const CHECKLIST_CSV: &str = "\u{feff}項目,はい/いいえ,確認日,目標日(いいえの場合)\r\n\
医療情報システム安全管理責任者を設置している,,,\r\n\
サーバ・端末PC・ネットワーク機器の台帳を管理している,,,\r\n\
リモートメンテナンスを利用している機器の有無を事業者と確認した,,,\r\n\
事業者から製造業者/サービス事業者による医療情報セキュリティ開示書(MDS/SDS)を提出してもらった,,,\r\n\
利用者の職種・担当業務別の情報区分ごとのアクセス利用権限を設定している,,,\r\n\
退職者や使用していないアカウント等、不要なアカウントを削除している,,,\r\n\
アクセスログを管理している,,,\r\n\
セキュリティパッチを適用している,,,\r\n\
接続元制限を実施している,,,\r\n\
インシデント発生時の連絡体制図がある,,,\r\n";

/// Everyday cautions for staff, as poster text (the red flags of Emotet mails that MHLW and the JMA
/// warned about).
const POSTER_TEXT: &str = "あやしいメールに注意しましょう(院内掲示用の文例)\n\n\
・件名が「RE:」「Fwd:」など、過去のやり取りを装っている\n\
・表示名と実際のメールアドレスが一致しない\n\
・パスワード付き ZIP ファイルが添付され、本文にパスワードが書かれている\n\
・「添付ファイルをご確認ください」だけの短い本文\n\
・「コンテンツの有効化」「マクロを有効にする」を求められる\n\n\
思いあたるときは、添付ファイルやリンクを開かず、すぐに情報システム担当へ連絡してください。\n";

/// Seeds the portal's tables on a first start; files go to `DATA_DIR/contents`.
pub async fn seed_portal(store: &Store, data_dir: &Path) -> Result<(), SeedError> {
    let contents = data_dir.join("contents");
    std::fs::create_dir_all(&contents).map_err(|e| SeedError::Files(e.to_string()))?;
    let materials = [
        (
            CHECKLIST_CSV,
            FileType::Csv,
            ContentKind::Checklist,
            vec![AudienceTag::Administrator, AudienceTag::Executive],
            [
                "点検表(例):サイバーセキュリティ対策チェックリストの項目",
                "Example sheet: the items of the cybersecurity checklist",
            ],
            [
                "厚生労働省のチェックリスト(医療機関確認用、令和5年度の項目)を院内で確認するための例です。正式な様式ではありません。",
                "An example for checking, in house, the items of MHLW's checklist (institution form, FY2023 items). It is not the official form.",
            ],
        ),
        (
            POSTER_TEXT,
            FileType::Text,
            ContentKind::Poster,
            vec![AudienceTag::MedicalStaff, AudienceTag::Beginner],
            [
                "ポスター文例:あやしいメールに注意",
                "Poster text: watch out for suspicious mail",
            ],
            [
                "Emotet などの攻撃メールの特徴と、気づいたときの行動をまとめた院内掲示用の文例です。",
                "Sample text for a staff poster: signs of attack mail such as Emotet, and what to do.",
            ],
        ),
    ];
    for (
        text,
        file_type,
        kind,
        audiences,
        [title_ja, title_en],
        [description_ja, description_en],
    ) in materials
    {
        let stored_name = Uuid::new_v4().simple().to_string();
        std::fs::write(contents.join(&stored_name), text)
            .map_err(|e| SeedError::Files(e.to_string()))?;
        let fields = ContentFields {
            kind: kind.as_str().into(),
            audiences: join_tags(&audiences, AudienceTag::as_str),
            title_ja: title_ja.into(),
            title_en: title_en.into(),
            description_ja: description_ja.into(),
            description_en: description_en.into(),
            licence_ja: "院内研修での利用可・改変可".into(),
            licence_en: "May be used and adapted for in-house training".into(),
            search_text: search_text(&[title_ja, title_en, description_ja, description_en]),
        };
        let source = ContentSource::File {
            stored_name,
            media_type: file_type.media_type().into(),
            byte_size: i64::try_from(text.len()).unwrap_or(i64::MAX),
            sha256: crate::secret::hex(&Sha256::digest(text.as_bytes())),
        };
        store.create_content(&fields, &source).await?;
    }
    for expert in experts() {
        store.create_expert(&expert).await?;
    }
    for link in links() {
        store.create_link_entry(&link).await?;
    }
    Ok(())
}

/// Fictional entries, marked as examples.
fn experts() -> Vec<ExpertFields> {
    let entry = |kind: &str, name: &str, code: &str, expertise: &[Expertise], bio: [&str; 2]| {
        let prefecture = Prefecture::by_code(code);
        ExpertFields {
            kind: kind.into(),
            name: name.into(),
            expertise: join_tags(expertise, Expertise::as_str),
            prefecture: code.into(),
            region: prefecture
                .map(|p| p.region.as_str())
                .unwrap_or_default()
                .into(),
            languages: join_tags(&[Language::Japanese, Language::English], Language::as_str),
            availability_ja: "平日・オンライン可(例)".into(),
            availability_en: "Weekdays, online possible (example)".into(),
            bio_ja: bio[0].into(),
            bio_en: bio[1].into(),
            search_text: search_text(&[name, bio[0], bio[1]]),
        }
    };
    vec![
        entry(
            "instructor",
            "講師 A(東京都)",
            "13",
            &[Expertise::ExecutiveLectures, Expertise::Bcp],
            [
                "架空の登録例です。経営層向けに、事例をもとにした講義とサイバー攻撃を想定したBCPの演習を行います。",
                "A fictional example entry. Lectures for executives based on real cases, and exercises on a BCP for cyberattacks.",
            ],
        ),
        entry(
            "engineer",
            "技術者 B(徳島県)",
            "36",
            &[
                Expertise::Network,
                Expertise::Ransomware,
                Expertise::MedicalDevices,
            ],
            [
                "架空の登録例です。VPN機器などのネットワーク機器の点検、ランサムウェア被害を想定した初動の助言を行います。",
                "A fictional example entry. Checks of VPN and other network devices, and advice on first response to ransomware.",
            ],
        ),
        entry(
            "instructor",
            "講師 C(大阪府)",
            "27",
            &[Expertise::Contracts, Expertise::Privacy],
            [
                "架空の登録例です。保守事業者との契約・責任分界や、個人情報漏えい時の報告について講義します。",
                "A fictional example entry. Lectures on contracts and responsibilities with maintenance vendors, and on reporting personal-data leaks.",
            ],
        ),
    ]
}

/// Public pages named in the fact sheet's sources, with their addresses as given there.
fn links() -> Vec<LinkFields> {
    let link = |category: LinkCategory, url: &str, title: [&str; 2], note: [&str; 2]| LinkFields {
        category: category.as_str().into(),
        title_ja: title[0].into(),
        title_en: title[1].into(),
        note_ja: note[0].into(),
        note_en: note[1].into(),
        url: url.into(),
    };
    vec![
        link(
            LinkCategory::Guidelines,
            "https://www.mhlw.go.jp/stf/seisakunitsuite/bunya/kenkou_iryou/iryou/johoka/cyber-security.html",
            [
                "厚生労働省:医療分野のサイバーセキュリティ対策",
                "MHLW: cybersecurity in the medical field",
            ],
            [
                "厚生労働省の医療分野のサイバーセキュリティ対策のページです。",
                "The Ministry of Health, Labour and Welfare's page on cybersecurity measures in medicine.",
            ],
        ),
        link(
            LinkCategory::Cases,
            "https://www.handa-hospital.jp/topics/2022/0616/report_01.pdf",
            [
                "つるぎ町立半田病院:有識者会議の調査報告書(PDF)",
                "Tsurugi Town Handa Hospital: expert panel report (PDF)",
            ],
            [
                "2021年10月のランサムウェア被害について、2022年6月に公表された報告書です。",
                "The report, published in June 2022, on the ransomware attack of October 2021.",
            ],
        ),
        link(
            LinkCategory::Cases,
            "https://www.gh.opho.jp/incident/1.html",
            [
                "大阪急性期・総合医療センター:インシデントに関する報告",
                "Osaka General Medical Center: incident reports",
            ],
            [
                "2022年10月のサイバー攻撃について、病院が公開しているページです。",
                "The hospital's own page on the cyberattack of October 2022.",
            ],
        ),
        link(
            LinkCategory::Cases,
            "https://www.npa.go.jp/hakusyo/r07/honbun/html/bb3313000.html",
            [
                "警察庁:令和7年版警察白書(サイバー空間の脅威)",
                "National Police Agency: White Paper 2025 (cyber threats)",
            ],
            [
                "2024年のランサムウェア被害の件数や侵入経路の統計が載っています。",
                "Statistics for 2024 on ransomware cases and their entry routes.",
            ],
        ),
        link(
            LinkCategory::Contacts,
            "https://www1.med.or.jp/doctor/sys/cybersecurity/001566.html",
            [
                "日本医師会:サイバーセキュリティに関する相談窓口(会員向け)",
                "Japan Medical Association: cybersecurity hotline (members)",
            ],
            [
                "日本医師会の会員向けの相談窓口です。",
                "A consultation desk for members of the Japan Medical Association.",
            ],
        ),
        link(
            LinkCategory::Materials,
            "https://mist.mhlw.go.jp/",
            [
                "医療機関向けセキュリティ教育支援ポータルサイト(MIST)",
                "MIST: Medical Information Security Training portal",
            ],
            [
                "厚生労働省の事業として運営されている研修ポータルです。",
                "The training portal run as a project of the Ministry of Health, Labour and Welfare.",
            ],
        ),
        link(
            LinkCategory::Materials,
            "https://mhlw-training.saj.or.jp/about-business/",
            [
                "MIST:事業について(旧アドレス)",
                "MIST: about the project (former address)",
            ],
            [
                "研修、インシデント対応手順とBCPの調査、初動対応支援の三つの取り組みの説明です。",
                "The project's work: training, research on incident procedures and BCP, and first-response support.",
            ],
        ),
    ]
}
