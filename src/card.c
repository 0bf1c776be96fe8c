/*
 * Stripe's test cards and decline vocabulary: which test numbers and tokens
 * exist, what each does when attached and charged, and the error code and
 * message of every decline code. docs/payment-methods.md shows the table.
 */
#include "private.h"

static const fake__card cards[] = {
	{ "4242424242424242", "visa", FAKE_CARD_SUCCEEDS, NULL },
	{ "4000056655665556", "visa_debit", FAKE_CARD_SUCCEEDS, NULL },
	{ "5555555555554444", "mastercard", FAKE_CARD_SUCCEEDS, NULL },
	{ "378282246310005", "amex", FAKE_CARD_SUCCEEDS, NULL },
	{ "6011111111111117", "discover", FAKE_CARD_SUCCEEDS, NULL },
	{ "4000000000000002", "chargeDeclined", FAKE_CARD_DECLINES, "generic_decline" },
	{ "4000000000009995", "chargeDeclinedInsufficientFunds", FAKE_CARD_DECLINES, "insufficient_funds" },
	{ "4000000000009987", "chargeDeclinedLostCard", FAKE_CARD_DECLINES, "lost_card" },
	{ "4000000000009979", "chargeDeclinedStolenCard", FAKE_CARD_DECLINES, "stolen_card" },
	{ "4000000000000069", "chargeDeclinedExpiredCard", FAKE_CARD_DECLINES, "expired_card" },
	{ "4000000000000127", "chargeDeclinedIncorrectCvc", FAKE_CARD_DECLINES, "incorrect_cvc" },
	{ "4000000000000119", "chargeDeclinedProcessingError", FAKE_CARD_DECLINES, "processing_error" },
	{ "4000000000000341", "chargeCustomerFail", FAKE_CARD_DECLINES_AFTER_ATTACH, "generic_decline" },
	{ "4000002760003184", "authenticationRequired", FAKE_CARD_REQUIRES_ACTION, NULL },
	{ "4000002500003155", "authenticationRequiredOnSetup", FAKE_CARD_REQUIRES_ACTION_ON_SESSION, NULL },
};

/* Stripe also spells some tokens with the brand first (pm_card_visa_chargeDeclined). */
static const struct {
	const char *alias;
	const char *token;
} aliases[] = {
	{ "visa_chargeDeclined", "chargeDeclined" },
	{ "visa_chargeDeclinedInsufficientFunds", "chargeDeclinedInsufficientFunds" },
	{ "visa_chargeDeclinedLostCard", "chargeDeclinedLostCard" },
	{ "visa_chargeDeclinedStolenCard", "chargeDeclinedStolenCard" },
	{ "visa_chargeDeclinedExpiredCard", "chargeDeclinedExpiredCard" },
	{ "visa_chargeDeclinedIncorrectCvc", "chargeDeclinedIncorrectCvc" },
	{ "visa_chargeDeclinedProcessingError", "chargeDeclinedProcessingError" },
	{ "threeDSecure2Required", "authenticationRequired" },
};

const fake__card *fake__card_by_number(const char *number)
{
	for (size_t i = 0; i < FAKE__COUNT(cards); i++)
		if (strcmp(cards[i].number, number) == 0)
			return &cards[i];
	return NULL;
}

const fake__card *fake__card_by_token(const char *token)
{
	for (size_t i = 0; i < FAKE__COUNT(aliases); i++)
		if (strcmp(aliases[i].alias, token) == 0)
			token = aliases[i].token;
	for (size_t i = 0; i < FAKE__COUNT(cards); i++)
		if (strcmp(cards[i].token, token) == 0)
			return &cards[i];
	return NULL;
}

bool fake__card_number_valid(const char *number)
{
	size_t n = strlen(number);
	if (n < 12 || n > 19)
		return false;
	unsigned int sum = 0;
	for (size_t i = 0; i < n; i++) {
		char c = number[n - 1 - i];
		if (c < '0' || c > '9')
			return false;
		unsigned int d = (unsigned int)(c - '0');
		if (i % 2 == 1) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return sum % 10 == 0;
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int leading(const char *s, int digits)
{
	int v = 0;
	for (int i = 0; i < digits; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

const char *fake__card_brand(const char *number)
{
	int two = leading(number, 2), four = leading(number, 4);
	if (number[0] == '4')
		return "visa";
	if ((two >= 51 && two <= 55) || (four >= 2221 && four <= 2720))
		return "mastercard";
	if (two == 34 || two == 37)
		return "amex";
	if (starts(number, "6011") || two == 65 || (leading(number, 3) >= 644 && leading(number, 3) <= 649))
		return "discover";
	if (two == 36 || two == 38 || two == 39 || (leading(number, 3) >= 300 && leading(number, 3) <= 305))
		return "diners";
	if (four >= 3528 && four <= 3589)
		return "jcb";
	if (two == 62)
		return "unionpay";
	return "unknown";
}

static const struct {
	const char *decline_code;
	const char *code;
	const char *message;
} declines[] = {
	{ "generic_decline", "card_declined", "Your card was declined." },
	{ "insufficient_funds", "card_declined", "Your card has insufficient funds." },
	{ "lost_card", "card_declined", "Your card was declined." },
	{ "stolen_card", "card_declined", "Your card was declined." },
	{ "expired_card", "expired_card", "Your card has expired." },
	{ "incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect." },
	{ "processing_error", "processing_error",
	  "An error occurred while processing your card. Try again in a little bit." },
	{ "authentication_required", "card_declined",
	  "Your card was declined. This transaction requires authentication." },
};

static size_t decline_index(const char *decline_code)
{
	for (size_t i = 0; decline_code && i < FAKE__COUNT(declines); i++)
		if (strcmp(declines[i].decline_code, decline_code) == 0)
			return i;
	return 0;
}

const char *fake__decline_canonical(const char *decline_code)
{
	return declines[decline_index(decline_code)].decline_code;
}

bool fake__decline_known(const char *decline_code)
{
	return decline_code && strcmp(declines[decline_index(decline_code)].decline_code, decline_code) == 0;
}

const char *fake__decline_error_code(const char *decline_code)
{
	return declines[decline_index(decline_code)].code;
}

const char *fake__decline_message(const char *decline_code)
{
	return declines[decline_index(decline_code)].message;
}
