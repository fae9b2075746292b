from django.core.management.base import BaseCommand

from landmosaic.landscapes.demo import DEMO_PASSWORD, demo_accounts, load_demo


class Command(BaseCommand):
    help = "Load the demo landscapes and accounts if the database is empty; always list the demo sign-ins."

    def handle(self, *args, **options):
        accounts = demo_accounts()
        if accounts is None:
            self.stdout.write("Database already has content: demo not loaded.")
            return
        if not accounts:
            accounts = load_demo()
            self.stdout.write(self.style.SUCCESS("Demo landscapes loaded."))
        self.stdout.write(f"Demo sign-ins (password: {DEMO_PASSWORD}):")
        for email, role in accounts.items():
            self.stdout.write(f"  {email:34} {role} of Kilombero Valley")
