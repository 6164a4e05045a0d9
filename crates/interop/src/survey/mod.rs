//! Survey instruments in files: our TOML format in and out ([`toml_file`]), the default
//! instrument bundled with Homeward, XLSForm for offline collection with ODK Collect or
//! KoboToolbox ([`xlsform`]).

pub mod collected_csv;
pub mod toml_file;
pub mod xlsform;

pub use toml_file::{default_instrument, install_default, read_instrument, write_instrument};
