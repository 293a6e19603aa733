from django.contrib import admin

from werkregie.organisations.models import (
    Membership,
    Municipality,
    Organisation,
    PostcodeArea,
    Site,
    SiteOccupancy,
    Team,
)


class MembershipInline(admin.TabularInline[Membership, Organisation]):
    model = Membership
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ["name", "kind", "municipality", "valid_from", "valid_to"]
    list_filter = ["kind"]
    inlines = [MembershipInline]
    filter_horizontal = ["hr_for"]


admin.site.register(Municipality)
admin.site.register(PostcodeArea)
admin.site.register(Site)
admin.site.register(SiteOccupancy)
admin.site.register(Team)
