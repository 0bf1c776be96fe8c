/*
 * Civil (proleptic Gregorian, UTC) dates from unix seconds and back,
 * without the C library's time functions, which read the environment (TZ).
 * The algorithm is Howard Hinnant's days_from_civil / civil_from_days.
 */
#include "private.h"

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && ((a < 0) != (b < 0)));
}

fake__date fake__date_from_unix(int64_t t)
{
	int64_t days = floor_div(t, 86400);
	int64_t secs = t - days * 86400;
	int64_t z = days + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	fake__date d;
	d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.year = (int)(yoe + era * 400 + (d.month <= 2));
	d.seconds = (int)secs;
	return d;
}

int64_t fake__date_to_unix(fake__date d)
{
	int64_t y = d.year - (d.month <= 2);
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t mp = d.month > 2 ? d.month - 3 : d.month + 9;
	int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (era * 146097 + doe - 719468) * 86400 + d.seconds;
}

static int days_in_month(int year, int month)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
	return month == 2 && leap ? 29 : days[month - 1];
}

int64_t fake__period_end(int64_t anchor, fake_interval interval, unsigned int count, uint64_t k)
{
	/* Far enough that any result would pass the year 9999. */
	if (k > 4000000)
		return INT64_MAX;
	int64_t steps = (int64_t)k * (count ? count : 1);
	int64_t end;
	if (interval == FAKE_INTERVAL_DAY || interval == FAKE_INTERVAL_WEEK) {
		end = anchor + steps * (interval == FAKE_INTERVAL_DAY ? 86400 : 7 * 86400);
	} else {
		fake__date d = fake__date_from_unix(anchor);
		int64_t months = (int64_t)(d.month - 1) + steps * (interval == FAKE_INTERVAL_YEAR ? 12 : 1);
		int64_t year = d.year + months / 12;
		if (year > 9999)
			return INT64_MAX;
		fake__date e = { (int)year, (int)(months % 12) + 1, d.day, d.seconds };
		int last = days_in_month(e.year, e.month);
		if (e.day > last)
			e.day = last;
		end = fake__date_to_unix(e);
	}
	return end > FAKE_TIME_MAX ? INT64_MAX : end;
}
