//! `code_enum!`: an enum with a stable text code (URLs, files, the database) and an English
//! label, parsed without regard to case.

macro_rules! code_enum {
    ($(#[$m:meta])* $t:ident { $($v:ident = $code:literal / $label:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "lowercase")]
        pub enum $t { $($v),+ }

        impl $t {
            pub const ALL: &'static [$t] = &[$($t::$v),+];
            /// The stable code used in URLs, files and the database.
            pub fn code(&self) -> &'static str {
                match self { $($t::$v => $code),+ }
            }
            /// The English label as the IDF pages print it.
            pub fn label(&self) -> &'static str {
                match self { $($t::$v => $label),+ }
            }
        }

        impl ::std::str::FromStr for $t {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                let t = s.trim();
                $(if t.eq_ignore_ascii_case($code) { return Ok($t::$v); })+
                Err(format!(
                    "{:?} is not one of: {}",
                    t,
                    [$($code),+].join(", ")
                ))
            }
        }

        impl ::std::fmt::Display for $t {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
