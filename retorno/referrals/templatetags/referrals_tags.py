"""`{% load referrals_tags %}{% person_referrals person %}`: the person's referrals with status and
outcome, for any page about a person (the reception person page includes it)."""

from django import template

from retorno.referrals.selectors import referral_list_filtered

register = template.Library()


@register.inclusion_tag("referrals/_person_referrals.html", takes_context=True)
def person_referrals(context, person):
    user = context["request"].user
    return {"referrals": referral_list_filtered(user, person_id=person.pk), "person": person}
