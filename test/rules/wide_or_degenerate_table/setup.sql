-- wide_or_degenerate_table: more than 50 columns (low) or 200 (medium), one column (info),
-- three or more numbered columns (low), every column but the key nullable (info).
DO $$
DECLARE cols text;
BEGIN
  SELECT string_agg(format('f_%s%s int NOT NULL DEFAULT 0', chr(97 + g / 26), chr(97 + g % 26)), ', ')
    INTO cols FROM generate_series(0, 59) g;
  EXECUTE 'CREATE TABLE wide (' || cols || ')';                       -- low: 60 columns
  SELECT string_agg(format('f_%s%s int NOT NULL DEFAULT 0', chr(97 + g / 26), chr(97 + g % 26)), ', ')
    INTO cols FROM generate_series(0, 209) g;
  EXECUTE 'CREATE TABLE wider (' || cols || ')';                      -- medium: 210 columns
  SELECT string_agg(format('f_%s%s int NOT NULL DEFAULT 0', chr(97 + g / 26), chr(97 + g % 26)), ', ')
    INTO cols FROM generate_series(0, 49) g;
  EXECUTE 'CREATE TABLE fifty (' || cols || ')';                      -- near miss: 50 columns
END $$;
CREATE TABLE lonely (id int);                                         -- info: one column
CREATE TABLE contacts (id int PRIMARY KEY, name text NOT NULL, phone1 text NOT NULL,
                       phone2 text NOT NULL, phone3 text NOT NULL);   -- low: phone1..3
CREATE TABLE loose (id int PRIMARY KEY, a text, b text, c text);      -- info: all nullable
CREATE TABLE address (id int PRIMARY KEY, line1 text NOT NULL, line2 text, city text NOT NULL);  -- near miss
