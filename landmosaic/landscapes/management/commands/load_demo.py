from django.core.management.base import BaseCommand

from landmosaic.landscapes.demo import DEMO_PASSWORD, database_is_empty, load_demo


class Command(BaseCommand):
    help = "Load the demo landscapes and accounts, only if the database is empty."

    def handle(self, *args, **options):
        if not database_is_empty():
            self.stdout.write("Database already has content: demo not loaded.")
            return
        accounts = load_demo()
        self.stdout.write(
            self.style.SUCCESS(f"Demo landscapes loaded. Demo sign-ins (password: {DEMO_PASSWORD}):")
        )
        for email, role in accounts.items():
            self.stdout.write(f"  {email:34} {role} of Kilombero Valley")
