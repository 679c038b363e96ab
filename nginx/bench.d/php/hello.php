<?php header('Content-Type: application/json'); echo '{"status":"ok"}';
