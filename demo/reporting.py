"""Demo: population figures for Midshire (fictional, in the proportions of an English shire
county with one diverse city, Census 2021 style) so the disproportionality table has rates."""

from accounts.models import Organisation
from reporting.services import set_population

FORCE = "midshire-police"
SOURCE = "Midshire demo figures (Census 2021 style)"
POPULATION = {
    "white": 1_012_000,
    "mixed": 31_500,
    "asian": 88_400,
    "black": 29_800,
    "other": 14_300,
}


def seed(stdout):
    force = Organisation.objects.filter(slug=FORCE).first()
    if force is None:
        return
    for group, population in POPULATION.items():
        set_population(
            organisation=force,
            group=group,
            population=population,
            source_year=2021,
            source=SOURCE,
        )
    stdout.write(
        f"Population figures for {force}: {sum(POPULATION.values()):,} people in 5 groups."
    )
