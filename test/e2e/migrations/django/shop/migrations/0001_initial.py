from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(name="Customer", fields=[
            ("id", models.AutoField(primary_key=True, serialize=False)),
            ("name", models.CharField(max_length=100)),
        ]),
        migrations.CreateModel(name="Order", fields=[
            ("id", models.AutoField(primary_key=True, serialize=False)),
            ("total", models.DecimalField(max_digits=10, decimal_places=2)),
        ]),
    ]
