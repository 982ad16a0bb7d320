# English as returnees from the United States read it: month/day/year.
DATE_FORMAT = "N j, Y"
SHORT_DATE_FORMAT = "m/d/Y"
DATETIME_FORMAT = "N j, Y, H:i"
SHORT_DATETIME_FORMAT = "m/d/Y H:i"
MONTH_DAY_FORMAT = "F j"
YEAR_MONTH_FORMAT = "F Y"
DATE_INPUT_FORMATS = ["%m/%d/%Y", "%m-%d-%Y", "%Y-%m-%d", "%m%d%Y"]
DATETIME_INPUT_FORMATS = ["%m/%d/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S"]
FIRST_DAY_OF_WEEK = 0
