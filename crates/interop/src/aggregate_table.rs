//! A table of aggregates (a dashboard view's numbers) as CSV, or as HXL-tagged CSV with a
//! row of hashtags under the header, for humanitarian tools that read HXL. The cells come
//! already withheld where small numbers must be.

/// One column: its header and its HXL hashtag with attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub header: String,
    pub hxl: &'static str,
}

/// The table's bytes; `hxl` adds the hashtag row.
pub fn write_table(
    columns: &[Column],
    rows: &[Vec<String>],
    hxl: bool,
) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(columns.iter().map(|c| c.header.as_str()))?;
    if hxl {
        w.write_record(columns.iter().map(|c| c.hxl))?;
    }
    for r in rows {
        w.write_record(r)?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashtags_follow_the_header() {
        let cols = [
            Column {
                header: "Year".into(),
                hxl: "#date+year",
            },
            Column {
                header: "Returns".into(),
                hxl: "#affected+returnees+num",
            },
        ];
        let rows = vec![vec!["2013".to_owned(), "<5".to_owned()]];
        let text = String::from_utf8(write_table(&cols, &rows, true).expect("csv")).expect("utf-8");
        assert_eq!(
            text,
            "Year,Returns\n#date+year,#affected+returnees+num\n2013,<5\n"
        );
        let plain =
            String::from_utf8(write_table(&cols, &rows, false).expect("csv")).expect("utf-8");
        assert_eq!(plain, "Year,Returns\n2013,<5\n");
    }
}
