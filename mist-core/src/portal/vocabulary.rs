//! Fixed vocabularies: stored as their identifier, shown in Japanese or English.

/// Defines a closed vocabulary: an enum with its stored identifier and its Japanese and English names.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = ($id:literal, $ja:literal, $en:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $(#[doc = $ja] $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The identifier that is stored and used in URLs.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $id),+ }
            }

            /// Parses the identifier.
            pub fn parse(value: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == value)
            }

            /// The name in Japanese and English.
            pub fn label(self) -> (&'static str, &'static str) {
                match self { $($name::$variant => ($ja, $en)),+ }
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary! {
    /// What a training material is.
    ContentKind {
        Slides = ("slides", "スライド", "Slides"),
        Poster = ("poster", "ポスター", "Poster"),
        Checklist = ("checklist", "チェックリスト", "Checklist"),
        Video = ("video", "動画", "Video"),
        Document = ("document", "資料", "Document"),
    }
}

vocabulary! {
    /// Who a material is for: the training tiers, with beginners and medical staff told apart.
    AudienceTag {
        Executive = ("executive", "経営者", "Executives"),
        Administrator = ("administrator", "システム・セキュリティ管理者", "System and security administrators"),
        Beginner = ("beginner", "初学者", "Beginners"),
        MedicalStaff = ("medical_staff", "医療従事者", "Medical staff"),
    }
}

vocabulary! {
    /// An entry of the instructor and engineer list.
    ExpertKind {
        Instructor = ("instructor", "講師", "Instructor"),
        Engineer = ("engineer", "技術者", "Engineer"),
    }
}

vocabulary! {
    /// What an instructor or engineer can help with.
    Expertise {
        ExecutiveLectures = ("executive_lectures", "経営層向け講義", "Lectures for executives"),
        Network = ("network", "ネットワーク", "Networks"),
        Ransomware = ("ransomware", "ランサムウェア対応", "Ransomware response"),
        Bcp = ("bcp", "BCP", "Business continuity (BCP)"),
        MedicalDevices = ("medical_devices", "医療機器", "Medical devices"),
        Contracts = ("contracts", "契約・ベンダー管理", "Contracts and vendor management"),
        Privacy = ("privacy", "個人情報保護", "Personal data protection"),
    }
}

vocabulary! {
    /// A language an instructor or engineer works in.
    Language {
        Japanese = ("ja", "日本語", "Japanese"),
        English = ("en", "英語", "English"),
        Chinese = ("zh", "中国語", "Chinese"),
        Korean = ("ko", "韓国語", "Korean"),
        Portuguese = ("pt", "ポルトガル語", "Portuguese"),
        Vietnamese = ("vi", "ベトナム語", "Vietnamese"),
    }
}

vocabulary! {
    /// The sections of the related-links page.
    LinkCategory {
        Guidelines = ("guidelines", "国の指針・通知", "Government guidelines and notices"),
        Cases = ("cases", "事例・報告書", "Cases and reports"),
        Contacts = ("contacts", "届出・相談窓口", "Reporting and consultation desks"),
        Materials = ("materials", "教材", "Training materials"),
    }
}

vocabulary! {
    /// What an inquiry is about.
    InquiryCategory {
        Training = ("training", "研修について", "Training"),
        Contents = ("contents", "コンテンツ集について", "Contents collection"),
        Experts = ("experts", "講師・技術者について", "Instructors and engineers"),
        Website = ("website", "サイトについて", "This website"),
        Other = ("other", "その他", "Other"),
    }
}

/// Tags kept in one text column as `,a,b,`: a tag filter is then `LIKE '%,a,%'` on either database.
pub fn join_tags<T: Copy>(tags: &[T], id: impl Fn(T) -> &'static str) -> String {
    let mut joined = String::from(",");
    for tag in tags {
        joined.push_str(id(*tag));
        joined.push(',');
    }
    joined
}

/// Reads tags written by [`join_tags`], skipping any that the vocabulary no longer has.
pub fn split_tags<T>(stored: &str, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
    stored.split(',').filter_map(parse).collect()
}
